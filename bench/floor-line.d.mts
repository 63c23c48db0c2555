/** See floor-line.mjs. */
export declare const floorLine: (line: string) => string;
