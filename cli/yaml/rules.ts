/**
 * The YAML front of the rule file (YAML or JSON text, as people write it): the CLI, the CDK app
 * and the tests load rules through it. Problems carry the file, line and column. It imports the
 * `yaml` parser, so Lambda code must not import it: the Lambdas read the deployed JSON through
 * lambdas/core/rules/load-json.ts.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import { compileRuleFile, type RuleSet } from '../../lambdas/core/rules/ruleset.ts';
import type { DataPath, RuleFileCheck } from '../../lambdas/core/rules/schema.ts';
import { validateRuleFile } from '../../lambdas/core/rules/validate.ts';

/**
 * Parses and validates a rule file (YAML, or JSON which parses natively). `document` is the parsed
 * value when the text parsed (the CDK app uploads it as JSON).
 */
export function parseRuleFile(
  text: string,
  source: string
): RuleFileCheck & { readonly document?: unknown } {
  // JSON (the deployed form) parses natively; the YAML parser runs only to locate problems.
  let located: { doc: ReturnType<typeof parseDocument>; lineCounter: LineCounter } | undefined;
  const locateDoc = () => {
    if (!located) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
      located = { doc, lineCounter };
    }
    return located;
  };
  let root: unknown;
  let parsed = false;
  if (/^\s*\{/.test(text)) {
    try {
      root = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  if (!parsed) {
    const { doc, lineCounter } = locateDoc();
    const problems = doc.errors.map((err) => {
      const pos = lineCounter.linePos(err.pos[0]);
      return `${source}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}`;
    });
    if (problems.length > 0) return { problems };
    try {
      // Aliases that point nowhere, or too many of them (a YAML "billion laughs"), throw here.
      root = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (err) {
      return { problems: [`${source}:1:1: not usable YAML: ${(err as Error).message}`] };
    }
  }
  const locate = (path: DataPath): string => {
    if (path.length === 0) return `${source}:1:1`;
    const { doc, lineCounter } = locateDoc();
    // The deepest node that exists on the path gives the location.
    for (let k = path.length; k >= 0; k--) {
      const node = doc.getIn(path.slice(0, k), true) as { range?: [number, number, number] };
      if (node && typeof node === 'object' && Array.isArray(node.range)) {
        const pos = lineCounter.linePos(node.range[0]);
        return `${source}:${pos.line}:${pos.col}`;
      }
      if (k === 0 && isMap(doc.contents)) break;
    }
    return `${source}:1:1`;
  };
  return { ...validateRuleFile(root, locate), document: root };
}

/**
 * Loads and compiles a rule file (YAML or JSON text); `source` names it in messages.
 * @throws InvalidInputError listing every problem with its file:line:col.
 */
export function loadRules(text: string, source: string): RuleSet {
  return compileRuleFile(parseRuleFile(text, source), source);
}

/** The problems of a rule file (YAML or JSON text), [] when it is valid. */
export function checkRules(text: string, source: string): string[] {
  return [...parseRuleFile(text, source).problems];
}
