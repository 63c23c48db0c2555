/**
 * The term trie: one trie of word keys (word ids of the vocabulary, or a number class) holding
 * every term of the matcher, built as nodes while terms are added, then flattened into typed
 * arrays for scanning (the matcher walks those, see Matcher.scan).
 */

/** Trie keys for the number classes (word ids are >= 0). */
export const NUM_KEY = -2;
export const YEAR_KEY = -3;

/** A node of the trie while terms are added. */
export interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  /** The id of the term ending here, or -1. */
  term: number;
}

export const newNode = (): TrieNode => ({ next: undefined, term: -1 });

/** The node the key path `keys` leads to from `root`, made on the way where missing. */
export function insert(root: TrieNode, keys: readonly number[]): TrieNode {
  let node = root;
  for (const key of keys) {
    if (!node.next) node.next = new Map();
    let child = node.next.get(key);
    if (!child) {
      child = newNode();
      node.next.set(key, child);
    }
    node = child;
  }
  return node;
}

/**
 * The term trie flattened into typed arrays for scanning: nodes are numbered breadth first (0 is
 * the root), each node's children by ascending key, so the edges of node k are edges first[k] ..
 * first[k + 1] - 1 and edge e leads to node e + 1. A step searches the node's few keys, which lie
 * side by side (the children of the words that open many terms, "the", "in", stay in the
 * processor's cache). Keys are word ids, NUM_KEY or YEAR_KEY.
 */
export interface FlatTrie {
  /** node -> term id ending there, or -1. */
  readonly term: Int32Array;
  /** node -> 1 when it has children. */
  readonly inner: Uint8Array;
  /** word id -> the root's child for it, or -1 (the first step of every walk, without a search). */
  readonly rootById: Int32Array;
  /** node -> its first edge; first[nodes] = the number of edges. */
  readonly first: Int32Array;
  /** edge -> its key (ascending within a node). */
  readonly keys: Int32Array;
  /** The root has a number class child. */
  readonly numbers: boolean;
}

/** Nodes with more children than this are searched by halves first. */
const LINEAR = 8;

/** The child of `node` by `key`, or -1. */
export function child(flat: FlatTrie, node: number, key: number): number {
  const keys = flat.keys;
  let lo = flat.first[node] as number;
  const end = flat.first[node + 1] as number;
  let hi = end;
  // Narrow [lo, hi] around the first key >= `key`, then look at the few left.
  while (hi - lo > LINEAR) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < end; lo++) {
    const k = keys[lo] as number;
    if (k >= key) return k === key ? lo + 1 : -1;
  }
  return -1;
}

export function flatten(root: TrieNode, words: number): FlatTrie {
  // Nodes numbered breadth first, children by key; edge e goes from node from[e] by key keys[e]
  // to node e + 1.
  const nodes: TrieNode[] = [root];
  const keys: number[] = [];
  const first = [0];
  for (let k = 0; k < nodes.length; k++) {
    const next = (nodes[k] as TrieNode).next;
    if (next) {
      for (const key of [...next.keys()].sort((a, b) => a - b)) {
        keys.push(key);
        nodes.push(next.get(key) as TrieNode);
      }
    }
    first.push(keys.length);
  }
  const rootById = new Int32Array(words).fill(-1);
  for (let e = 0; e < (first[1] as number); e++) {
    const key = keys[e] as number;
    if (key >= 0) rootById[key] = e + 1;
  }
  const term = new Int32Array(nodes.length);
  const inner = new Uint8Array(nodes.length);
  nodes.forEach((n, k) => {
    term[k] = n.term;
    inner[k] = n.next ? 1 : 0;
  });
  return {
    term,
    inner,
    rootById,
    first: Int32Array.from(first),
    keys: Int32Array.from(keys),
    numbers: root.next?.has(NUM_KEY) === true || root.next?.has(YEAR_KEY) === true,
  };
}

/**
 * Checks that the tables of a flattened trie (restored from a snapshot) are consistent, so that
 * scanning never reads outside them.
 * @throws Error naming the first problem.
 */
export function checkFlatTrie(flat: FlatTrie): void {
  const nodes = flat.term.length;
  if (flat.first.length !== nodes + 1 || flat.keys.length !== nodes - 1) {
    throw new Error('trie: first and keys do not fit the node count');
  }
  let previous = 0;
  for (let k = 0; k <= nodes; k++) {
    const f = flat.first[k] as number;
    if (f < previous || f > flat.keys.length || (k === 0 && f !== 0)) {
      throw new Error('trie: first is not ascending within the edges');
    }
    previous = f;
  }
  if (previous !== flat.keys.length) throw new Error('trie: first does not end at the edge count');
  for (const node of flat.rootById) {
    if (node < -1 || node >= nodes) throw new Error('trie: rootById names no node');
  }
}
