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
 * The term trie flattened into typed arrays for scanning: nodes are numbered (0 is the root), and
 * every edge (node, key) -> child sits in one open-addressing table, so a step is a hash of two
 * integers and a probe instead of a Map lookup. Keys are word ids, NUM_KEY or YEAR_KEY.
 */
export interface FlatTrie {
  /** node -> term id ending there, or -1. */
  readonly term: Int32Array;
  /** node -> 1 when it has children. */
  readonly inner: Uint8Array;
  /** word id -> the root's child for it, or -1 (the first step of every walk, without hashing). */
  readonly rootById: Int32Array;
  /** Slot k: [node (-1: empty), key, child] at 3k .. 3k + 2. */
  readonly slots: Int32Array;
  /** Slot index = the hash's top `bits` bits. */
  readonly shift: number;
  readonly mask: number;
  /** The root has a number class child. */
  readonly numbers: boolean;
}

function edgeHash(node: number, key: number): number {
  return Math.imul(Math.imul(node, 0x9e3779b1) ^ key, 0x85ebca6b);
}

export function child(flat: FlatTrie, node: number, key: number): number {
  const slots = flat.slots;
  let slot = edgeHash(node, key) >>> flat.shift;
  for (;;) {
    const at = slot * 3;
    const owner = slots[at] as number;
    if (owner === -1) return -1;
    if (owner === node && slots[at + 1] === key) return slots[at + 2] as number;
    slot = (slot + 1) & flat.mask;
  }
}

export function flatten(root: TrieNode, words: number): FlatTrie {
  // Nodes numbered breadth first; edge e goes from node from[e] by key keys[e] to node e + 1.
  const nodes: TrieNode[] = [root];
  const from: number[] = [];
  const keys: number[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const next = (nodes[k] as TrieNode).next;
    if (!next) continue;
    for (const [key, node] of next) {
      from.push(k);
      keys.push(key);
      nodes.push(node);
    }
  }
  let bits = 6;
  while (1 << bits < from.length * 2) bits++;
  const size = 1 << bits;
  const slots = new Int32Array(size * 3).fill(-1);
  const shift = 32 - bits;
  const rootById = new Int32Array(words).fill(-1);
  for (let e = 0; e < from.length; e++) {
    const node = from[e] as number;
    const key = keys[e] as number;
    let slot = edgeHash(node, key) >>> shift;
    while (slots[slot * 3] !== -1) slot = (slot + 1) & (size - 1);
    slots[slot * 3] = node;
    slots[slot * 3 + 1] = key;
    slots[slot * 3 + 2] = e + 1;
    if (node === 0 && key >= 0) rootById[key] = e + 1;
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
    slots,
    shift,
    mask: size - 1,
    numbers: root.next?.has(NUM_KEY) === true || root.next?.has(YEAR_KEY) === true,
  };
}
