// RCU read-side critical sections and grace periods. A read section is
// atomic context: sleeping in it is reported.
//
// Under LKMM they are LKMM's fences (rcu-lock, rcu-unlock, sync-rcu), and
// the model's RCU axiom gives the grace-period guarantee. SC and TSO have no
// such axiom, so there the guarantee is built from accesses: every reader
// sets its bit in one word, `rcu_readers`, on entering its outermost read
// section and clears it on leaving, with fully ordered RMWs (TSO cannot
// delay them past the section's reads); synchronize_rcu() takes a snapshot
// of the word with a fully ordered RMW, after its earlier writes, and waits,
// reader by reader, for each bit of the snapshot to clear. A reader absent
// from the snapshot entered after it, so it sees what the updater wrote
// before synchronize_rcu(); a reader in it is waited for. That is RCU's
// guarantee: a grace period outlasts every read section that began before it.
// (It waits for a reader that left and re-entered before being looked at,
// as a real grace period may.)
//
// The word is a location of the model: declare it with declareRcuReaders(m).
// Without it read sections are only fences, and synchronize_rcu() outside
// LKMM is a model error rather than silently no wait at all.

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc, Value } from "../program/value.ts";
import { kernelThread, mightSleep, misuse } from "./kernelThread.ts";

/** The name of the readers word; thread code finds the location by it. */
export const RCU_READERS = "rcu_readers";

/** One bit per thread id fits in an integer's bitwise range. */
const MAX_READERS = 31;

/** Declares the word through which synchronize_rcu() waits for readers under SC and TSO. */
export function declareRcuReaders(m: ModelBuilder): Loc {
  return m.location(RCU_READERS, 0);
}

/** The readers word, when the model declared it and the memory model has no RCU axiom of its own. */
function readersWord(t: ThreadContext): Loc | undefined {
  if (t.memoryModel === "lkmm") return undefined;
  // `?.`: an older engine's thread contexts cannot look locations up; read sections are then fences, as they were.
  return t.location?.(RCU_READERS);
}

function readerBit(t: ThreadContext): number {
  // Thrown as a fault of the model: the runtime reports it as a model error with the thread and step.
  if (t.tid >= MAX_READERS) throw new Error(`RCU readers are tracked for the first ${MAX_READERS} threads of a model only`);
  return 1 << t.tid;
}

export function* rcuReadLock(t: ThreadContext): Access<void> {
  const k = kernelThread(t);
  k.rcuDepth++;
  const readers = readersWord(t);
  if (readers === undefined) yield* t.fence("rcu-lock", "rcu_read_lock");
  else if (k.rcuDepth === 1) {
    const bit = readerBit(t);
    yield* t.rmw(readers, (v) => v | bit, "mb", "rcu_read_lock");
  }
}

export function* rcuReadUnlock(t: ThreadContext): Access<void> {
  const k = kernelThread(t);
  if (k.rcuDepth === 0) misuse(t, "rcu_read_unlock() without rcu_read_lock()");
  k.rcuDepth--;
  const readers = readersWord(t);
  if (readers === undefined) yield* t.fence("rcu-unlock", "rcu_read_unlock");
  else if (k.rcuDepth === 0) {
    const bit = readerBit(t);
    yield* t.rmw(readers, (v) => v & ~bit, "mb", "rcu_read_unlock");
  }
}

export function* synchronizeRcu(t: ThreadContext): Access<void> {
  mightSleep(t, "synchronize_rcu()");
  if (t.memoryModel === "lkmm") {
    yield* t.fence("sync-rcu", "synchronize_rcu");
    return;
  }
  const readers = readersWord(t);
  if (readers === undefined)
    throw new Error(
      `synchronize_rcu() under ${t.memoryModel ?? "SC and TSO"} waits for readers through the location ${RCU_READERS}: declare it in the model with declareRcuReaders(m)`,
    );
  const inside = yield* t.rmw(readers, (v) => v, "mb", "synchronize_rcu");
  for (let tid = 0; tid < MAX_READERS; tid++) {
    const bit = 1 << tid;
    if ((inside & bit) !== 0) yield* t.await(readers, (v) => (v & bit) === 0, "acquire", `synchronize_rcu: wait for reader ${tid}`);
  }
}

/**
 * rcu_dereference(p): a READ_ONCE of the pointer (LKMM has nothing more:
 * the ordering of the reads through it comes from their address
 * dependency on this load, which the reference returned carries). Outside
 * a read section it is the misuse lockdep's RCU checking reports.
 */
export function* rcuDereference(t: ThreadContext, p: Loc): Access<Value> {
  if (kernelThread(t).rcuDepth === 0) misuse(t, `rcu_dereference(${p.name}) outside an RCU read-side critical section`);
  return yield* t.readPointer(p, "once", undefined, `rcu_dereference(${p.name})`);
}

/** rcu_assign_pointer(p, v): publishes v with a release store, so the initialisation of what v points to is visible first. */
export function* rcuAssignPointer(t: ThreadContext, p: Loc, v: Value): Access<void> {
  yield* t.write(p, v, "release", undefined, `rcu_assign_pointer(${p.name})`);
}
