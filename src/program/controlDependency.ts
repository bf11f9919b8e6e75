// Control dependencies, for LKMM. In the kernel a store after
// `if (PageLRU(page))` cannot be made visible before the load it depends on
// (LKMM's ctrl, which herd7 extends to every event after the branch).
// Generator threads carry no dependencies unless their operations say so,
// and then the engine's load-buffering pre-check sees every read followed by
// a write as unordered, and LKMM models fall back to candidate enumeration.
//
// A thread body wrapped in `trackingDependencies` numbers its operations as
// the runtime does; `branchOn(t, test)` runs a test and makes every later
// operation of the thread control-dependent on the reads it made. Two more
// orderings LKMM has but the syntactic pre-check does not see are written
// as dependencies too, adding nothing the model did not already order:
// - an RMW's read before its own write (the read is fr-before the write,
//   and internal fr is in ppo);
// - po-unlock-lock-po: a thread's reads before it releases a lock are
//   ordered before what it does after taking the same lock again.

import type { ThreadBody, Operation } from "./operation.ts";
import type { Access, ThreadContext } from "./threadContext.ts";
import type { Value } from "./value.ts";

interface DependencyState {
  /** The runtime's number for the next operation. */
  next: number;
  /** Reads that what follows is ordered after. */
  readonly ctrl: number[];
  /** Inside branchOn: reads are recorded as branch sources. */
  recording: boolean;
  /** Every read (and RMW) so far. */
  readonly reads: number[];
  /** Per lock location released: how many reads came before the release. */
  readonly released: Map<number, number>;
}

// Registered: a model and the engine may load different copies of this file.
const KEY = Symbol.for("pagerace.controlDependencies");
const stateOf = (t: ThreadContext) =>
  t.local<DependencyState>(KEY, () => ({ next: 0, ctrl: [], recording: false, reads: [], released: new Map() }));

/** Wraps a thread body so that branchOn() can attach control dependencies to what follows. */
export function trackingDependencies(body: (t: ThreadContext) => ThreadBody<unknown>): (t: ThreadContext) => ThreadBody<unknown> {
  return function* (t: ThreadContext) {
    const st = stateOf(t);
    const inner = body(t);
    let input: Value | undefined;
    for (;;) {
      const r = inner.next(input);
      if (r.done) return r.value;
      const op = r.value;
      const index = st.next++;
      if (op.kind === "rmw" && op.tags?.includes("lock")) {
        const before = st.released.get(op.loc.id);
        if (before !== undefined) st.ctrl.push(...st.reads.slice(0, before));
      }
      if (op.kind === "write" && op.tags?.includes("unlock")) st.released.set(op.loc.id, st.reads.length);
      if (op.kind === "read" || op.kind === "rmw") {
        st.reads.push(index);
        if (st.recording) st.ctrl.push(index);
      }
      input = yield withDependencies(op, index, st.ctrl);
    }
  };
}

function withDependencies(op: Operation, index: number, ctrl: readonly number[]): Operation {
  if (op.kind === "fence") return ctrl.length === 0 ? op : { ...op, deps: { ...op.deps, ctrl: [...(op.deps?.ctrl ?? []), ...ctrl] } };
  const data = op.kind === "rmw" ? [...(op.deps?.data ?? []), index] : op.deps?.data;
  if (ctrl.length === 0 && data === op.deps?.data) return op;
  return { ...op, deps: { ...op.deps, data, ctrl: [...(op.deps?.ctrl ?? []), ...ctrl] } };
}

/** Runs `test` (reads, or an RMW whose result the caller branches on) and returns its result; what the thread does next depends on it. */
export function* branchOn<T>(t: ThreadContext, test: Access<T>): Access<T> {
  const st = stateOf(t);
  const was = st.recording;
  st.recording = true;
  try {
    return yield* test;
  } finally {
    st.recording = was;
  }
}
