// A subtree of the optimal explorer's tree, named by the choices that lead
// to it (the replay path of replayId.ts): the node reached by `prefix`, and
// of that node's choices at depth prefix.length only those from `from` to
// `to`. The explorer enumerates every node's choices in increasing order
// (a read's writes coherence-last first, a write's positions then its
// revisits, revisited reads by thread then position), so a range of choices
// is a run of consecutive siblings, and a depth-first run is always at one
// point of that order: what is left of it is a few such ranges.

export interface Subtree {
  readonly prefix: readonly number[];
  readonly from: number;
  /** The last choice included; null: every choice from `from` on. */
  readonly to: number | null;
}

export const WHOLE_TREE: Subtree = { prefix: [], from: 0, to: null };

/** Depth-first order of two paths (the order in which one run would reach them). */
export function comparePaths(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Whether `s` is a well-formed subtree (as read from a file or a queue). */
export function isSubtree(s: unknown): s is Subtree {
  if (typeof s !== "object" || s === null) return false;
  const t = s as Subtree;
  const choice = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return Array.isArray(t.prefix) && t.prefix.every(choice) && choice(t.from) && (t.to === null || (choice(t.to) && t.to >= t.from));
}

/**
 * The subtrees of `open` from its i-th that one depth-first run explores in
 * order, one after the other: each next one a range of siblings of an
 * ancestor of the one before, starting just after the choice that leads
 * there. A run that yields leaves its open subtrees so (SubtreeCursor),
 * deepest first; exploring them as one run replays the common prefix once
 * instead of once per subtree.
 */
export function chainAt(open: readonly Subtree[], i: number): readonly Subtree[] {
  const first = open[i]!;
  const chain = [first];
  for (let j = i + 1; j < open.length; j++) {
    const t = open[j]!;
    const d = t.prefix.length;
    const above = chain[chain.length - 1]!.prefix.length;
    if (d >= above || t.from !== first.prefix[d]! + 1 || t.prefix.some((c, k) => c !== first.prefix[k])) break;
    chain.push(t);
  }
  return chain;
}
