/**
 * The compiled matcher: every term of every rule, guard, place and actor goes into ONE trie of
 * folded word tokens. Matching walks the token stream once; at each token it follows the trie
 * (a Map lookup per step), so the cost depends on the text and the depth of phrases, not on the
 * number of terms.
 *
 * Inflection ("~" at a word's end) is expanded at compile time by this small stemmer:
 *   plural / 3rd person: +s, or +es after s/x/z/ch/sh, or y -> ies after a consonant
 *   past: +d after e, y -> ied after a consonant, else +ed (and with the last consonant doubled)
 *   -ing: ie -> ying, drop a final e (not ee), else +ing (and with the last consonant doubled)
 *   a stem ending in a consonant also gets +e and +es (captur~ -> capture, captures, captured)
 * e.g. strike~ -> strike strikes striked striking; kill~ -> kill kills killed killing;
 * kidnap~ -> ... kidnapped kidnapping. Irregular forms (struck, fought, blew) are listed as terms.
 */
import {
  FNV_OFFSET,
  FNV_PRIME,
  KIND_NUMBER,
  KIND_YEAR,
  type TokenStream,
  tokenize,
  type Vocabulary,
} from './text.ts';

/** Trie keys for the number classes (word ids are >= 0). */
const NUM_KEY = -2;
const YEAR_KEY = -3;

export enum RefType {
  RuleGroup = 0,
  RuleUnless = 1,
  GuardCue = 2,
  GuardUnless = 3,
  Place = 4,
  Actor = 5,
}

export interface Ref {
  readonly type: RefType;
  readonly index: number;
  readonly group: number;
}

interface Node {
  next: Map<number, Node> | undefined;
  term: number;
}

function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Every word used by a term, with an id; looked up by hash with open addressing. */
class Vocab implements Vocabulary {
  readonly words: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Open addressing: slot k holds [word id (-1: empty), word hash] at 2k, 2k + 1. */
  private table = new Int32Array(0);
  private mask = 0;

  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(word);
      this.ids.set(word, id);
      this.table = new Int32Array(0);
    }
    return id;
  }

  private build(): void {
    let size = 64;
    while (size < this.words.length * 4) size *= 2;
    const table = new Int32Array(size * 2).fill(-1);
    this.mask = size - 1;
    this.words.forEach((w, id) => {
      const h = hashWord(w);
      let slot = h & this.mask;
      while (table[slot * 2] !== -1) slot = (slot + 1) & this.mask;
      table[slot * 2] = id;
      table[slot * 2 + 1] = h;
    });
    this.table = table;
  }

  lookup(folded: string, start: number, end: number, hash: number): number {
    if (this.table.length === 0) this.build();
    const table = this.table;
    const len = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const id = table[slot * 2] as number;
      if (id === -1) return -1;
      if (table[slot * 2 + 1] === (hash | 0)) {
        const w = this.words[id] as string;
        let same = w.length === len;
        for (let k = 0; same && k < len; k++) {
          if (w.charCodeAt(k) !== folded.charCodeAt(start + k)) same = false;
        }
        if (same) return id;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

export interface Hit {
  readonly term: number;
  /** Index of the token stream (field) in the item. */
  readonly stream: number;
  /** Token index of the first word. */
  readonly start: number;
  /** Token index after the last word. */
  readonly end: number;
  /** Sentence key: stream * 65536 + sentence index of the first word (equal = same sentence). */
  readonly sent: number;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** All inflected forms of one word (see the module comment). */
export function inflect(word: string): string[] {
  const forms = new Set<string>([word]);
  // A stem ending in a consonant may stand for a verb in -e: captur~ -> capture, captures.
  if (!/[aeiouy]$/.test(word)) {
    forms.add(`${word}e`);
    forms.add(`${word}es`);
  }
  const last = word[word.length - 1] ?? '';
  const prev = word[word.length - 2] ?? '';
  const consonantY = last === 'y' && !VOWELS.has(prev);
  if (/(s|x|z|ch|sh)$/.test(word)) forms.add(`${word}es`);
  else if (consonantY) forms.add(`${word.slice(0, -1)}ies`);
  else forms.add(`${word}s`);
  if (last === 'e') forms.add(`${word}d`);
  else if (consonantY) forms.add(`${word.slice(0, -1)}ied`);
  else forms.add(`${word}ed`);
  if (word.endsWith('ie')) forms.add(`${word.slice(0, -2)}ying`);
  else if (last === 'e' && prev !== 'e') forms.add(`${word.slice(0, -1)}ing`);
  else forms.add(`${word}ing`);
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(word)) {
    forms.add(`${word}${last}ed`);
    forms.add(`${word}${last}ing`);
  }
  return [...forms];
}

const PLAIN_WORD = /^[a-z]+$/;

/** Expand one term into its token sequences (inflections multiply). */
export function expandTerm(term: string): string[][] {
  const parts = term.trim().split(/\s+/);
  let seqs: string[][] = [[]];
  for (const part of parts) {
    const inflected = part.endsWith('~');
    const base = inflected ? part.slice(0, -1) : part;
    if (base === '<num>' || base === '<year>') {
      seqs = seqs.map((s) => [...s, base]);
      continue;
    }
    // A plain lower-case word is its own single token (most terms): no tokenizer needed.
    const toks = PLAIN_WORD.test(base) ? [base] : tokenize('term', base).words;
    if (toks.length === 0) continue;
    const head = toks.slice(0, -1);
    const tail = toks[toks.length - 1] as string;
    const tails = inflected ? inflect(tail) : [tail];
    const next: string[][] = [];
    for (const s of seqs) for (const t of tails) next.push([...s, ...head, t]);
    seqs = next;
  }
  return seqs.filter((s) => s.length > 0);
}

export class Matcher {
  private readonly root: Node = { next: undefined, term: -1 };
  /** term id -> the references (rules, guards, places, actors) that use it. */
  readonly refs: Ref[][] = [];
  /** term id -> the canonical token sequence (for explanations). */
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /** The words of all terms; pass it to tokenize so tokens carry word ids. */
  readonly vocab = new Vocab();
  /** The root's children by word id (a dense array: the first step of every walk). */
  private rootById: (Node | undefined)[] | undefined;

  add(term: string, ref: Ref): void {
    for (const seq of expandTerm(term)) {
      const key = seq.join(' ');
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.terms.length;
        this.ids.set(key, id);
        this.terms.push(key);
        this.refs.push([]);
        let node = this.root;
        for (const w of seq) {
          if (!node.next) node.next = new Map();
          const key = w === '<num>' ? NUM_KEY : w === '<year>' ? YEAR_KEY : this.vocab.id(w);
          let child = node.next.get(key);
          if (!child) {
            child = { next: undefined, term: -1 };
            node.next.set(key, child);
          }
          node = child;
        }
        node.term = id;
        this.rootById = undefined;
      }
      const list = this.refs[id] as Ref[];
      if (
        !list.some((r) => r.type === ref.type && r.index === ref.index && r.group === ref.group)
      ) {
        list.push(ref);
      }
    }
  }

  get termCount(): number {
    return this.terms.length;
  }

  /** Every occurrence of every term in the stream, appended to `out`. The stream must have been
   * tokenised with this matcher's vocabulary. */
  scan(ts: TokenStream, stream: number, out: Hit[]): void {
    const ids = ts.ids;
    const n = ts.count;
    const rootNext = this.root.next;
    if (!rootNext) return;
    let byId = this.rootById;
    if (!byId) {
      byId = new Array<Node | undefined>(this.vocab.words.length).fill(undefined);
      for (const [key, node] of rootNext) if (key >= 0) byId[key] = node;
      this.rootById = byId;
    }
    const numbers = rootNext.has(NUM_KEY) || rootNext.has(YEAR_KEY);
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      if (ts.kinds[i] !== 0) {
        if (numbers || id >= 0) this.walk(rootNext, ts, i, i, n, stream, out);
        continue;
      }
      if (id < 0) continue;
      const node = byId[id];
      if (!node) continue;
      if (node.term >= 0) this.emit(node.term, ts, i, i, stream, out);
      if (node.next) this.walk(node.next, ts, i, i + 1, n, stream, out);
    }
  }

  private walk(
    next: Map<number, Node>,
    ts: TokenStream,
    start: number,
    at: number,
    n: number,
    stream: number,
    out: Hit[]
  ): void {
    const ids = ts.ids;
    let map: Map<number, Node> | undefined = next;
    let j = at;
    while (map && j < n) {
      const kind = ts.kinds[j] as number;
      // Number classes branch off the literal path.
      if (kind !== 0) {
        if (kind === KIND_YEAR) {
          const y = map.get(YEAR_KEY);
          if (y) this.visit(y, ts, start, j, n, stream, out);
        }
        if (kind === KIND_NUMBER || kind === KIND_YEAR) {
          const num = map.get(NUM_KEY);
          if (num) this.visit(num, ts, start, j, n, stream, out);
        }
      }
      const id = ids[j] as number;
      if (id < 0) return;
      const node = map.get(id);
      if (!node) return;
      if (node.term >= 0) this.emit(node.term, ts, start, j, stream, out);
      map = node.next;
      j++;
    }
  }

  private emit(
    term: number,
    ts: TokenStream,
    start: number,
    j: number,
    stream: number,
    out: Hit[]
  ): void {
    out.push({
      term,
      stream,
      start,
      end: j + 1,
      sent: stream * 65536 + (ts.sentences[start] as number),
    });
  }

  private visit(
    node: Node,
    ts: TokenStream,
    start: number,
    j: number,
    n: number,
    stream: number,
    out: Hit[]
  ): void {
    if (node.term >= 0) this.emit(node.term, ts, start, j, stream, out);
    if (node.next) this.walk(node.next, ts, start, j + 1, n, stream, out);
  }
}
