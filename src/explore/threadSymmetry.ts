// Symmetry reduction for threads a model declares identical
// (`m.thread(name, body, { identical: key })`). Exchanging identical threads
// maps an execution graph to another execution graph of the program; the
// optimal explorer reports one graph per class of graphs equal up to such
// exchanges, and leaves out subtrees that can hold no such representative.
//
// The representative. Within one graph, identical threads are ordered by
// comparing their events position by position (lexicographically):
//
// - two reads compare by their sources' places in coherence order (equal when
//   they read the same write);
// - two writes by their own places in coherence order (never equal);
// - two fences are equal.
//
// While two threads are equal position by position they have read the same
// values, so (thread code being a deterministic function of what it read,
// and the threads identical) they issue the same operation at the next
// position: the comparison always compares like with like. It says nothing
// about thread names, only about coherence, which an exchange carries over:
// the order of threads t and u in G is the order of π(t) and π(u) in π(G).
// It is a total preorder, so every class holds a graph whose identical
// threads are in nondecreasing order, declaration order being the order of
// their indices: sort the threads of any graph of the class. That graph is
// the representative. It is the only one: two threads that compare equal
// have no writes (two writes never compare equal) and read the same writes,
// so exchanging them gives the same graph.
//
// Pruning. TruSt's subtree below a graph holds more than its extensions (a
// revisit cuts events back out), so a graph whose threads are out of order
// may still have a representative below it. What no descendant changes is
// the settled prefix of each thread: its events up to the last one that is
// frozen (in the prefix of a write that revisited a read) or was not added
// maximally (a read of a write not coherence-last, a write not placed last).
// A revisit deletes a suffix of a thread only if every event deleted, and
// the read revisited, is unfrozen and maximal (isMaximalExtension), so none
// of these events is deleted or revisited; a read whose source a revisit
// deletes was itself revisited by that source and is the last of its
// thread, with nothing settled after it, and it is maximal and unfrozen
// only if its source was too (a source not placed last cannot be deleted,
// a frozen read has a frozen source). Events of a settled prefix thus keep
// their sources in every graph below, and the writes among them and those
// sources keep their relative coherence order (new writes are inserted,
// kept ones never reordered). So do the events added before the earliest
// read a revisit below may take (stableLengths). If, within what every
// graph below keeps of both, two adjacent identical threads (adjacent in
// declaration order) already compare greater-then-smaller, they
// do so in every complete graph below: no representative is there, and the
// subtree is skipped. Conversely no ancestor of a representative is
// skipped, so every class is reached, exactly once.
//
// This holds where TruSt's revisits are the only ones: models without load
// buffering (SC, TSO). Under LKMM revisits keep dependency prefixes and
// leave holes, and the reduction is not applied.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { EventId, GraphEvent } from "../graph/event.ts";
import { formatValue, isLoc, sameLoc, type Value } from "../program/value.ts";
import { ModelError } from "../runtime/modelError.ts";

export class ThreadSymmetry {
  private constructor(
    private readonly model: Model,
    /** Classes of identical threads (two or more each), each in declaration order. */
    readonly classes: readonly (readonly number[])[],
  ) {}

  /** The model's classes of identical threads, or undefined when it declares none of two or more. */
  static of(model: Model): ThreadSymmetry | undefined {
    const byKey = new Map<string, number[]>();
    model.threads.forEach((t, tid) => {
      if (t.identical === undefined) return;
      const members = byKey.get(t.identical) ?? [];
      members.push(tid);
      byKey.set(t.identical, members);
    });
    const classes = [...byKey.values()].filter((c) => c.length > 1);
    return classes.length === 0 ? undefined : new ThreadSymmetry(model, classes);
  }

  /** The classes by thread name. */
  names(): string[][] {
    return this.classes.map((c) => c.map((tid) => this.model.threads[tid]!.name));
  }

  /** Whether no graph below g is a representative: two adjacent identical threads are out of order in what every graph below keeps. */
  outOfOrder(g: ExecutionGraph): boolean {
    let stable: Int32Array | undefined;
    for (const members of this.classes)
      for (let k = 1; k < members.length; k++) {
        const t = members[k - 1]!;
        const u = members[k]!;
        const at = this.firstDifference(g, t, u);
        if (at < 0 || this.comparePosition(g, g.threads[t]![at]!, g.threads[u]![at]!) <= 0) continue;
        // Out of order here; below too if neither thread can lose or re-source an event up to there.
        stable ??= stableLengths(g);
        if (at < stable[t]! && at < stable[u]!) return true;
      }
    return false;
  }

  /** Whether the complete graph g is its class's representative: identical threads in nondecreasing order. */
  inOrder(g: ExecutionGraph): boolean {
    for (const members of this.classes)
      for (let k = 1; k < members.length; k++) {
        const t = members[k - 1]!;
        const u = members[k]!;
        const at = this.firstDifference(g, t, u);
        if (at >= 0 && this.comparePosition(g, g.threads[t]![at]!, g.threads[u]![at]!) > 0) return false;
      }
    return true;
  }

  /** The first position (within both threads) where threads t and u compare unequal, or -1. */
  private firstDifference(g: ExecutionGraph, t: number, u: number): number {
    const a = g.threads[t]!;
    const b = g.threads[u]!;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (this.comparePosition(g, a[i]!, b[i]!) !== 0) return i;
    return -1;
  }

  private comparePosition(g: ExecutionGraph, x: GraphEvent, y: GraphEvent): number {
    if (x.kind !== y.kind || x.loc !== y.loc || x.fence !== y.fence || (x.kind === "W" && !sameValue(x.value, y.value))) this.notIdentical(x, y);
    if (x.kind === "F") return 0;
    if (x.kind === "R") return x.rf === y.rf ? 0 : Math.sign(coIndex(g, x.loc, x.rf) - coIndex(g, x.loc, y.rf));
    return Math.sign(coIndex(g, x.loc, x.id) - coIndex(g, x.loc, y.id));
  }

  private notIdentical(x: GraphEvent, y: GraphEvent): never {
    // The run's model is named wherever the error is shown (the report's row, the JSON result's model): not again here.
    const [t, u] = [this.model.threads[x.tid]!.name, this.model.threads[y.tid]!.name];
    throw new ModelError(
      `threads ${t} and ${u} are declared identical, but after reading the same values their ${ordinal(x.idx + 1)} operations differ: ` +
        `${t} ${this.describe(x)}, ${u} ${this.describe(y)}; declare them apart, or run without symmetry reduction`,
    );
  }

  /** An operation as the model wrote it: its location by name, a write with its value, and the step it was issued in. */
  private describe(e: GraphEvent): string {
    const at = (loc: number) => this.model.locations[loc]?.name ?? `location ${loc}`;
    const what =
      e.kind === "F" ? `issues ${`fence ${e.fence ?? ""}`.trim()}` : e.kind === "R" ? `reads ${at(e.loc)}` : `writes ${formatValue(e.value)} to ${at(e.loc)}`;
    return e.step === undefined ? what : `${what} (in step ${e.step})`;
  }
}

/**
 * How many of a thread's first events no graph below changes: up to the
 * last one that is frozen or was not added maximally (a fence is maximal).
 */
export function settledLength(events: readonly GraphEvent[]): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (!e.revisitable || (e.kind !== "F" && !e.addedMax)) return i + 1;
  }
  return 0;
}

/**
 * Per thread, how many of its first events every graph below g keeps, with
 * the same sources: the settled prefix, and beyond it the events added
 * before the earliest read any revisit below may take. A revisit takes a
 * read that is maximal and unfrozen with all its thread after it (past its
 * thread's settled prefix), of g or added later, and deletes only events
 * added after that read (stamps grow along each thread); it changes the
 * source of that read only, and of a read whose source it deletes, which
 * was added before that source and is past its settled prefix.
 */
export function stableLengths(g: ExecutionGraph): Int32Array {
  const n = g.threadCount;
  const settled = new Int32Array(n);
  let earliest = Infinity;
  for (let t = 0; t < n; t++) {
    const events = g.threads[t]!;
    settled[t] = settledLength(events);
    for (let i = settled[t]!; i < events.length; i++) if (events[i]!.kind === "R" && events[i]!.stamp < earliest) earliest = events[i]!.stamp;
  }
  for (let t = 0; t < n; t++) {
    const events = g.threads[t]!;
    let k = settled[t]!;
    while (k < events.length && events[k]!.stamp < earliest) k++;
    settled[t] = k;
  }
  return settled;
}

function coIndex(g: ExecutionGraph, loc: number, id: EventId): number {
  return g.co[loc]!.indexOf(id);
}

function sameValue(a: Value, b: Value): boolean {
  return isLoc(a) || isLoc(b) ? sameLoc(a, b) : a === b;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
