/**
 * The YAML front of the rule file (YAML or JSON text, as people write it): the CLI, the CDK app
 * and the tests load rules through it. Problems carry the file, line and column. It imports the
 * `yaml` parser, so Lambda code must not import it: the Lambdas read the deployed JSON through
 * lambdas/core/rules/load-json.ts. A file that says `extend: default` is merged with the default
 * rules first (cli/rules-extend.ts).
 */
import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { compileRuleFile, type RuleSet } from '../../lambdas/core/rules/ruleset.ts';
import type { DataPath, RuleDocument, RuleFileCheck } from '../../lambdas/core/rules/schema.ts';
import { validateRuleFile } from '../../lambdas/core/rules/validate.ts';
import { DEFAULT_RULES } from '../io.ts';
import { extendRules } from '../rules-extend.ts';

/** A rule file's text parsed: the document and where its paths are, or the parse problems. */
export function readRuleDocument(
  text: string,
  source: string
): RuleDocument & { readonly problems: readonly string[] } {
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
  if (/^\s*\{/.test(text)) {
    try {
      return { root: JSON.parse(text) as unknown, locate, problems: [] };
    } catch {
      // read as YAML below, which names the line of the problem
    }
  }
  const { doc, lineCounter } = locateDoc();
  const problems = doc.errors.map((err) => {
    const pos = lineCounter.linePos(err.pos[0]);
    return `${source}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}`;
  });
  if (problems.length > 0) return { root: undefined, locate, problems };
  try {
    // Aliases that point nowhere, or too many of them (a YAML "billion laughs"), throw here.
    return { root: doc.toJS({ maxAliasCount: 100 }) as unknown, locate, problems: [] };
  } catch (err) {
    return {
      root: undefined,
      locate,
      problems: [`${source}:1:1: not usable YAML: ${(err as Error).message}`],
    };
  }
}

let defaults: { text: string; document: RuleDocument } | undefined;

/** The bundled default rules (config/rules.yaml), which `extend: default` names; read once. */
export const defaultRulesDocument = (): { text: string; document: RuleDocument } => {
  if (!defaults) {
    const text = readFileSync(DEFAULT_RULES, 'utf8');
    defaults = { text, document: readRuleDocument(text, DEFAULT_RULES) };
  }
  return defaults;
};

/**
 * Validates a parsed rule file, merged first with the default rules when it says `extend`
 * (`base` gives them; the JSON front of the CLI passes its document here too). `document` is the
 * value validated: the merged one for a file that extends (the CDK app uploads it as JSON).
 */
export function checkRuleDocument(
  doc: RuleDocument,
  text: string,
  base: () => { text: string; document: RuleDocument } = defaultRulesDocument
): RuleFileCheck & { readonly document?: unknown } {
  const { root, locate } = doc;
  if (typeof root !== 'object' || root === null || Array.isArray(root) || !('extend' in root)) {
    return { ...validateRuleFile(root, locate), document: root };
  }
  const defaultRules = base();
  if (defaultRules.text === text) {
    return { problems: [`${locate(['extend'])}: the default rules cannot extend themselves`] };
  }
  const merged = extendRules(root as Record<string, unknown>, locate, defaultRules.document);
  const checked = validateRuleFile(merged.root, merged.locate);
  const problems = [...merged.problems, ...checked.problems];
  const warnings = [...merged.warnings, ...(checked.warnings ?? [])];
  return {
    ...(problems.length === 0 && checked.spec ? { spec: checked.spec } : {}),
    problems,
    ...(warnings.length > 0 ? { warnings } : {}),
    document: merged.root,
  };
}

/**
 * Parses and validates a rule file (YAML, or JSON which parses natively). `document` is the parsed
 * value when the text parsed (the CDK app uploads it as JSON), merged with the default rules when
 * the file extends them.
 */
export function parseRuleFile(
  text: string,
  source: string
): RuleFileCheck & { readonly document?: unknown } {
  const doc = readRuleDocument(text, source);
  if (doc.problems.length > 0) return { problems: doc.problems };
  return checkRuleDocument(doc, text);
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
