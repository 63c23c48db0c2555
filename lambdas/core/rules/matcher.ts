/**
 * The compiled matcher: every term of every rule, guard, place and actor goes into ONE trie of
 * folded word tokens (trie.ts), and its words into the character automaton that the tokenizer
 * reads word ids through (automaton.ts). Matching walks the token stream once; at each token it
 * follows the trie (the first step indexes an array by word id, each further step probes the
 * flattened trie's hash table), so the cost depends on the text and the depth of phrases, not on
 * the number of terms. Terms are inflected by inflect.ts; refs.ts says what uses each term;
 * matcher-snapshot.ts stores the compiled tables.
 */
import { Vocab } from './automaton.ts';
import { expandTerm } from './inflect.ts';
import { type MatcherSnapshot, snapshotOf, tablesOf } from './matcher-snapshot.ts';
import { type Ref, type RefTable, type RefTableName, type RefTables, refTablesOf } from './refs.ts';
import { KIND_NUMBER, KIND_YEAR, type TokenStream } from './text.ts';
import {
  child,
  type FlatTrie,
  flatten,
  insert,
  NUM_KEY,
  newNode,
  type TrieNode,
  YEAR_KEY,
} from './trie.ts';

export type { MatcherSnapshot } from './matcher-snapshot.ts';

/** The key of a stream's sentence: hits in the same sentence have equal keys. */
export const sentenceKey = (stream: number, sentence: number): number => stream * 65536 + sentence;

export interface Hit {
  readonly term: number;
  /** Index of the token stream (field) in the item. */
  readonly stream: number;
  /** Token index of the first word. */
  readonly start: number;
  /** Token index after the last word. */
  readonly end: number;
  /** The sentenceKey of the first word's sentence (equal = same sentence). */
  readonly sent: number;
}

export class Matcher {
  private readonly root: TrieNode = newNode();
  /** Set on a matcher restored from a snapshot: its term count (it takes no new terms). */
  private restoredTerms: number | undefined;
  /** term id -> the references (rules, guards, places, actors) that use it (empty once restored). */
  private readonly refs: Ref[][] = [];
  /** term id -> the canonical token sequence (empty once restored). */
  private readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /** The words of all terms; pass it to tokenize so tokens carry word ids. */
  readonly vocab: Vocab;
  /** The trie flattened for scanning (built on first scan, dropped when a term is added). */
  private flat: FlatTrie | undefined;
  /** `refs` as typed arrays (built on first use, dropped when a term or ref is added). */
  private flatRefs: RefTables | undefined;

  constructor(vocab = new Vocab()) {
    this.vocab = vocab;
  }

  /** The refs of every term, one table per kind of use (see refs.ts). */
  refTable(of: RefTableName): RefTable {
    this.flatRefs ??= refTablesOf(this.refs);
    return this.flatRefs[of];
  }

  private flatTrie(): FlatTrie {
    this.flat ??= flatten(this.root, this.vocab.words.length);
    return this.flat;
  }

  /** The compiled tables, to store and restore() later instead of adding every term again. */
  snapshot(): MatcherSnapshot {
    const automaton = this.vocab.automaton();
    const flat = this.flatTrie();
    this.flatRefs ??= refTablesOf(this.refs);
    return snapshotOf({ termCount: this.termCount, automaton, flat, refs: this.flatRefs });
  }

  /**
   * A matcher from the tables of snapshot(): it scans exactly as the matcher that took the
   * snapshot, and takes no new terms.
   * @throws Error when an array is missing, of the wrong kind or of the wrong length.
   */
  static restore(snapshot: MatcherSnapshot): Matcher {
    const tables = tablesOf(snapshot);
    const m = new Matcher(Vocab.restored(tables.automaton));
    m.restoredTerms = tables.termCount;
    m.flat = tables.flat;
    m.flatRefs = tables.refs;
    return m;
  }

  add(term: string, ref: Ref): void {
    if (this.restoredTerms !== undefined) {
      throw new Error('a matcher restored from a snapshot takes no new terms');
    }
    for (const seq of expandTerm(term)) {
      const key = seq.join(' ');
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.terms.length;
        this.ids.set(key, id);
        this.terms.push(key);
        this.refs.push([]);
        const keys = seq.map((w) =>
          w === '<num>' ? NUM_KEY : w === '<year>' ? YEAR_KEY : this.vocab.id(w)
        );
        insert(this.root, keys).term = id;
        this.flat = undefined;
      }
      const list = this.refs[id] as Ref[];
      if (
        !list.some((r) => r.type === ref.type && r.index === ref.index && r.group === ref.group)
      ) {
        list.push(ref);
        this.flatRefs = undefined;
      }
    }
  }

  get termCount(): number {
    return this.restoredTerms ?? this.terms.length;
  }

  /** Every occurrence of every term in the stream, appended to `out`. The stream must have been
   * tokenised with this matcher's vocabulary. */
  scan(ts: TokenStream, stream: number, out: Hit[]): void {
    if (this.termCount === 0) return;
    const flat = this.flatTrie();
    const { rootById, term, inner } = flat;
    const { ids, kinds } = ts;
    const n = ts.count;
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      if (kinds[i] !== 0) {
        if (flat.numbers || id >= 0) this.walk(flat, 0, ts, i, i, n, stream, out);
        continue;
      }
      if (id < 0) continue;
      const node = rootById[id] as number;
      if (node < 0) continue;
      if ((term[node] as number) >= 0) this.emit(term[node] as number, ts, i, i, stream, out);
      // A phrase goes on only into a word of the vocabulary or a number (most do not).
      if (inner[node] === 1 && i + 1 < n && ((ids[i + 1] as number) >= 0 || kinds[i + 1] !== 0)) {
        this.walk(flat, node, ts, i, i + 1, n, stream, out);
      }
    }
  }

  /** Follows the tokens from `at` down the children of `from`. */
  private walk(
    flat: FlatTrie,
    from: number,
    ts: TokenStream,
    start: number,
    at: number,
    n: number,
    stream: number,
    out: Hit[]
  ): void {
    const ids = ts.ids;
    const { term, inner } = flat;
    let node = from;
    let j = at;
    while (j < n) {
      const kind = ts.kinds[j] as number;
      // Number classes branch off the literal path.
      if (kind !== 0) {
        if (kind === KIND_YEAR) {
          const y = child(flat, node, YEAR_KEY);
          if (y >= 0) this.visit(flat, y, ts, start, j, n, stream, out);
        }
        if (kind === KIND_NUMBER || kind === KIND_YEAR) {
          const num = child(flat, node, NUM_KEY);
          if (num >= 0) this.visit(flat, num, ts, start, j, n, stream, out);
        }
      }
      const id = ids[j] as number;
      if (id < 0) return;
      node = child(flat, node, id);
      if (node < 0) return;
      if ((term[node] as number) >= 0) this.emit(term[node] as number, ts, start, j, stream, out);
      if (inner[node] !== 1) return;
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
      sent: sentenceKey(stream, ts.sentences[start] as number),
    });
  }

  private visit(
    flat: FlatTrie,
    node: number,
    ts: TokenStream,
    start: number,
    j: number,
    n: number,
    stream: number,
    out: Hit[]
  ): void {
    const t = flat.term[node] as number;
    if (t >= 0) this.emit(t, ts, start, j, stream, out);
    if (flat.inner[node] === 1) this.walk(flat, node, ts, start, j + 1, n, stream, out);
  }
}
