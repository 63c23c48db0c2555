// The floor's work for one input line: parse it and render a JSON line shaped like a
// classification result. Shared by the floor process (floor.mjs) and the in-process baseline.
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
