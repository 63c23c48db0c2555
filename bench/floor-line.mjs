// The floors' work for one input line, shared by the floor process (floor.mjs) and the
// in-process baselines.

/** The floor: parse the line and write the same item back as a JSON line. */
export const echoLine = (line) => JSON.stringify(JSON.parse(line));

/** A stricter floor: parse the line and write a (shorter) line shaped like a classification result. */
export const floorLine = (line) => {
  const item = JSON.parse(line);
  return JSON.stringify({
    id: String(item.id),
    escalation: false,
    severity: 'none',
    score: 0,
    categories: [],
    places: [],
    matches: [],
    title: item.title.length,
  });
};
