// Keeps one optimal-explorer run inside one subtree, and hands parts of it
// off while it runs: the choice gate of a worker exploring a subtree.
//
// Below the subtree's prefix the run takes only the prefix's choices (the
// graph it reaches is the one a whole run reaches there); at the prefix's
// depth only the subtree's range; below, every choice. A chain of subtrees
// (subtree.ts's chainAt) is one run too: down the deepest one's prefix,
// then each range in depth-first order. Other threads (or
// processes) ask it, through a shared flag word polled at every choice, to
//
// - donate: give away the not yet explored siblings of its shallowest open
//   choice (the largest piece of what is left), and not explore them;
// - snapshot: say what it has counted and what is left, as subtrees,
//   without stopping (a checkpoint);
// - yield: the same, then stop (interrupted, or checkpointing for good);
// - abandon: stop, with nothing to hand back (another part found the
//   violation that ends the run).
//
// Each request is served at a choice boundary, where everything counted so
// far lies before the run's position in depth-first order and everything
// left lies after it: the counts and the subtrees left are exact, so
// nothing is counted twice or lost.

import type { ChoiceGate } from "./choiceGate.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";
import { tallyOfRecorder, type Tally } from "./explorationTally.ts";
import type { Subtree } from "./subtree.ts";

/** Bits of the request word (slot 0 of the shared control array). */
export const REQUEST = { donate: 1, snapshot: 2, yield: 4, abandon: 8 } as const;

/** A control array for one worker: slot 0 holds the pending requests. */
export function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Asks the run polling `control` for `request` (bits add up until served). */
export function ask(control: Int32Array, request: number): void {
  Atomics.or(control, 0, request);
}

export interface CursorHooks {
  /**
   * A donated subtree (null when nothing was left to donate), with what is
   * left to this run after it and what it counted so far: a snapshot that
   * no longer holds the donated part.
   */
  onDonate(s: Subtree | null, left: readonly Subtree[], tally: Tally | null): void;
  onSnapshot(left: readonly Subtree[], tally: Tally): void;
}

/** The hooks of a run nobody asks for donations or snapshots: alone in its thread. */
export const UNASKED: CursorHooks = { onDonate: () => {}, onSnapshot: () => {} };

export class SubtreeCursor implements ChoiceGate {
  /** Set once a yield or an abandon was served: the run takes no more choices. */
  halted: "yielded" | "abandoned" | undefined;
  /** What a yield left to explore. */
  left: readonly Subtree[] = [];
  /** The subtree's depth (a chain's shallowest): above it the prefix guides. */
  private readonly base: number;
  /**
   * The first path the run enters: the (deepest) subtree's prefix and its
   * first choice. Below `base`, while the run is on it, a choice before the
   * start path's is not the run's (explored before the subtree).
   */
  private readonly start: number[];
  /** How many of the current path's first choices are the start path's. */
  private onStartFor: number;
  /** Per depth from `base` on, the last choice this run may still enter there (Infinity: any); deeper entries belong to the current path only. */
  private readonly limits: number[] = [];
  /** Choices asked about since the explorations were last counted. */
  private sinceCount = 0;
  /** Choices asked about since the clock was last read. */
  private sinceClock = 0;

  /**
   * `yieldAfter`: the run asks itself to yield once it has counted that
   * many explorations (a run that starts in one thread and goes on in
   * several when it turns out large: a count, not a time, so that which
   * runs are split does not depend on the machine's load).
   */
  constructor(
    /**
     * A subtree, or a chain of them (chainAt in subtree.ts): ranges of
     * siblings of the first's ancestors, each just after the choice that
     * leads to the one before, which one run explores in depth-first order.
     */
    subtrees: Subtree | readonly Subtree[],
    private readonly control: Int32Array,
    private readonly hooks: CursorHooks,
    private readonly yieldAfter?: number,
    /**
     * `yieldAt`: the run asks itself to yield once performance.now() has
     * passed it (a check in the command line's main thread, which hands
     * what it has left to the watched worker).
     */
    private readonly yieldAt?: number,
  ) {
    const chain = "prefix" in subtrees ? [subtrees] : subtrees;
    const first = chain[0]!;
    this.start = [...first.prefix, first.from];
    this.base = chain[chain.length - 1]!.prefix.length;
    this.onStartFor = this.base;
    // Along the start path, a depth with no subtree of the chain has no siblings of the run's.
    for (let d = this.base; d < first.prefix.length; d++) this.limits[d] = this.start[d]!;
    for (const t of chain) this.limits[t.prefix.length] = t.to ?? Infinity;
  }

  admits(path: readonly number[], c: number, recorder: ExecutionRecorder): boolean {
    const d = path.length;
    if (d < this.base) return this.start[d] === c;
    if (this.halted !== undefined) return false;
    // Down a chain's start path, what is left is not yet a few ranges from here: requests wait until the first subtree's depth.
    if (this.onStart(d) && d < this.start.length - 1 && c <= this.start[d]!) {
      if (c < this.start[d]!) return false;
      this.onStartFor = d + 1;
      return true;
    }
    if (this.yieldAfter !== undefined && ++this.sinceCount >= 256) {
      this.sinceCount = 0;
      if (recorder.total >= this.yieldAfter) ask(this.control, REQUEST.yield);
    }
    if (this.yieldAt !== undefined && ++this.sinceClock >= 16) {
      this.sinceClock = 0;
      if (performance.now() >= this.yieldAt) ask(this.control, REQUEST.yield);
    }
    if (Atomics.load(this.control, 0) !== 0) this.serve(path, c, recorder);
    if (this.halted !== undefined) return false;
    if (c > this.limit(d) || this.beforeStart(d, c)) return false;
    if (this.onStart(d) && c === this.start[d]) this.onStartFor = d + 1;
    else {
      // Entering c off the start path: limits set deeper were for the node left behind (or the chain's, on the start path).
      this.onStartFor = Math.min(this.onStartFor, d);
      if (this.limits.length > d + 1) this.limits.length = d + 1;
    }
    return true;
  }

  /** Whether the current path's first d choices are the start path's, which goes deeper. */
  private onStart(d: number): boolean {
    return this.onStartFor >= d && d < this.start.length;
  }

  /** Whether choice c at depth d lies before the run's part of the tree. */
  private beforeStart(d: number, c: number): boolean {
    return this.onStart(d) && c < this.start[d]!;
  }

  private limit(d: number): number {
    return this.limits[d] ?? Infinity;
  }

  private serve(path: readonly number[], c: number, recorder: ExecutionRecorder): void {
    const request = Atomics.exchange(this.control, 0, 0);
    if (request & REQUEST.abandon) {
      this.halted = "abandoned";
      return;
    }
    if (request & REQUEST.yield) {
      this.left = this.remaining(path, c);
      this.halted = "yielded";
      return;
    }
    if (request & REQUEST.donate) {
      const given = this.donate(path, c);
      if (given === null) this.hooks.onDonate(null, [], null);
      else this.hooks.onDonate(given, this.remaining(path, c), tallyOfRecorder(recorder));
    }
    if (request & REQUEST.snapshot) this.hooks.onSnapshot(this.remaining(path, c), tallyOfRecorder(recorder));
  }

  /** Everything not yet explored, at the boundary before choice c at depth path.length. */
  private remaining(path: readonly number[], c: number): Subtree[] {
    const d = path.length;
    const out: Subtree[] = [];
    const lo = this.onStart(d) ? Math.max(c, this.start[d]!) : c;
    if (lo <= this.limit(d)) out.push(range(path, d, lo, this.limit(d)));
    for (let l = d - 1; l >= this.base; l--) if (path[l]! < this.limit(l)) out.push(range(path, l, path[l]! + 1, this.limit(l)));
    return out;
  }

  /** The siblings after the current choice at the shallowest depth that may have some (possibly none: a node's choices are not known ahead). */
  private donate(path: readonly number[], c: number): Subtree | null {
    const d = path.length;
    for (let l = this.base; l < d; l++) {
      if (path[l]! >= this.limit(l)) continue;
      const given = range(path, l, path[l]! + 1, this.limit(l));
      this.limits[l] = path[l]!;
      return given;
    }
    // No ancestor has siblings left to give: the current node's choices after c, when c is one this run
    // enters (before its range, giving away all after it would only hand on the same empty search).
    if (this.beforeStart(d, c) || c >= this.limit(d)) return null;
    const given = range(path, d, c + 1, this.limit(d));
    this.limits[d] = c;
    return given;
  }
}

function range(path: readonly number[], depth: number, from: number, to: number): Subtree {
  return { prefix: path.slice(0, depth), from, to: to === Infinity ? null : to };
}
