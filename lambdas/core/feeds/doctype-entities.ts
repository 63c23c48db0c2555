/**
 * Entities a document declares in its DOCTYPE's internal subset (`<!ENTITY name "value">`): legal
 * XML that some feeds use. They are expanded here, within bounds, for the XML parser to substitute;
 * external entities (SYSTEM or PUBLIC) are never read, and a document that uses one, or whose
 * entities expand past the bounds (the "billion laughs"), is refused. Pure.
 */
import { FeedError } from '../common/errors.ts';

/** Characters all declared entities may expand to together, and all their uses in the body. */
export const MAX_ENTITY_EXPANSION_CHARS = 1_000_000;
/** How deeply entity values may refer to other entities. */
const MAX_ENTITY_DEPTH = 8;
/** Entities declared in one document. */
const MAX_ENTITIES = 1000;

const DECLARATION =
  /<!ENTITY\s+(%\s+)?([A-Za-z_][\w.:-]*)\s+(?:"([^"]*)"|'([^']*)'|((?:SYSTEM|PUBLIC)\b[^>]*))\s*>/g;
const REFERENCE = /&([A-Za-z_][\w.:-]*);/g;
const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};
/** Character and predefined references, as the parser reads them in an entity's replacement text. */
const BASIC_REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;

const decodeBasic = (value: string): string =>
  value.replace(BASIC_REFERENCE, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return PREDEFINED[name] ?? whole;
    const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });

interface Declared {
  readonly internal: Map<string, string>;
  readonly external: Set<string>;
}

const declarations = (doctype: string): Declared => {
  const internal = new Map<string, string>();
  const external = new Set<string>();
  let count = 0;
  for (const match of doctype.matchAll(DECLARATION)) {
    count += 1;
    if (count > MAX_ENTITIES) break;
    const [, parameter, name, double, single] = match;
    // Parameter entities (%name;) only shape the DTD: never expanded.
    if (parameter || !name) continue;
    const value = double ?? single;
    // The first declaration of a name binds (XML 1.0 section 4.2).
    if (internal.has(name) || external.has(name)) continue;
    if (value === undefined) external.add(name);
    else internal.set(name, value);
  }
  return { internal, external };
};

const tooLarge = (url: string): FeedError =>
  new FeedError(
    url,
    `not a usable feed: its DOCTYPE entities expand to more than ${MAX_ENTITY_EXPANSION_CHARS} characters (an entity expansion bomb?) in ${url}`
  );

/** How many times each of `names` is referred to (`&name;`) in `text`, in one pass. */
const countReferences = (text: string, names: ReadonlySet<string>): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(REFERENCE)) {
    const name = match[1];
    if (name !== undefined && names.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
};

const externalUse = (url: string, name: string): FeedError =>
  new FeedError(
    url,
    `not a usable feed: it uses the external entity &${name}; (external entities are never read) in ${url}`
  );

/**
 * The general entities the DOCTYPE declares, expanded: references to other declared entities
 * replaced, then character and predefined references decoded (the values are inserted as text).
 * @param doctype the DOCTYPE declaration's text (at least its internal subset)
 * @param body the whole document: each use of an entity counts towards the bound
 * @throws FeedError when the document uses an external entity, or the expansion is too large
 */
export const doctypeEntities = (
  doctype: string,
  body: string,
  url: string
): Record<string, string> => {
  if (!doctype.includes('<!ENTITY')) return {};
  const { internal, external } = declarations(doctype);
  const uses = countReferences(body, new Set([...internal.keys(), ...external]));
  for (const name of external) {
    if (uses.has(name)) throw externalUse(url, name);
  }
  const expanded = new Map<string, string>();
  let budget = MAX_ENTITY_EXPANSION_CHARS;
  const expand = (name: string, depth: number): string => {
    const done = expanded.get(name);
    if (done !== undefined) return done;
    const raw = internal.get(name);
    if (raw === undefined) return `&${name};`;
    if (depth > MAX_ENTITY_DEPTH) throw tooLarge(url);
    const value = raw.replace(REFERENCE, (whole, inner: string) => {
      if (external.has(inner)) throw externalUse(url, inner);
      return internal.has(inner) ? expand(inner, depth + 1) : whole;
    });
    budget -= value.length;
    if (budget < 0) throw tooLarge(url);
    expanded.set(name, value);
    return value;
  };
  const entities: Record<string, string> = {};
  let used = 0;
  for (const name of internal.keys()) {
    const value = expand(name, 0);
    used += (uses.get(name) ?? 0) * value.length;
    if (used > MAX_ENTITY_EXPANSION_CHARS) throw tooLarge(url);
    entities[name] = decodeBasic(value);
  }
  return entities;
};
