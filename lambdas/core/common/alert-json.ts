/** Reading an alert back from JSON, checked field by field. Pure. */
import { InvalidInputError } from './errors.ts';
import { type Alert, SEVERITIES } from './types.ts';

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * An alert from its JSON text (the `lambda` text of a published message, a record under
 * alerts/): refused with every field that is wrong when it is not an alert.
 */
export const parseAlertJson = (text: string): Alert => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InvalidInputError(
      `not an alert in JSON (starts ${JSON.stringify(text.slice(0, 40))})`
    );
  }
  const a = (doc ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['id', 'eventId', 'headline', 'summary', 'firstSeen', 'lastSeen']) {
    if (typeof a[key] !== 'string') problems.push(`${key} must be a string`);
  }
  if (a.kind !== 'new' && a.kind !== 'update') problems.push('kind must be "new" or "update"');
  if (!SEVERITIES.includes(a.severity as never)) problems.push('severity is not a severity');
  for (const key of ['categories', 'places', 'rules', 'reasons']) {
    if (!isStringArray(a[key])) problems.push(`${key} must be a list of strings`);
  }
  if (typeof a.casualties !== 'object' || a.casualties === null) {
    problems.push('casualties must be an object');
  }
  if (
    !Array.isArray(a.sources) ||
    !a.sources.every((s) => typeof s === 'object' && s !== null && typeof s.title === 'string')
  ) {
    problems.push('sources must be a list of sources');
  }
  if (problems.length > 0) {
    throw new InvalidInputError(`not an alert: ${problems.join('; ')}`);
  }
  return doc as Alert;
};
