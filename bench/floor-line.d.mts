/** See floor-line.mjs. */
export declare const echoLine: (line: string) => string;
export declare const floorLine: (line: string) => string;
