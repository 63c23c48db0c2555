/**
 * Reading the JSON form of a config file (what the CDK app writes to the bucket and the Lambdas
 * read): the one place that parses it and names a bad file. No YAML parser here, on purpose.
 */

/** The parsed value, or the problem naming the file and what the parser found. */
export type JsonText = { readonly value: unknown } | { readonly problem: string };

/**
 * Parses JSON text; `source` names the file (or bucket key) in the problem. A leading byte order
 * mark (editors on Windows write one) is not part of the JSON.
 */
export const parseJsonText = (text: string, source: string): JsonText => {
  try {
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
  } catch (err) {
    return { problem: `${source}: not valid JSON: ${(err as Error).message}` };
  }
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A path into a parsed document as JavaScript would write it: `rules[3].any`, `places["New York"]`. */
export const jsonPath = (path: readonly (string | number)[]): string =>
  path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (!IDENTIFIER.test(key)) return `[${JSON.stringify(key)}]`;
      return i === 0 ? key : `.${key}`;
    })
    .join('');
