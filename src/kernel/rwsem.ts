// struct rw_semaphore, writer-preferring as the kernel's is: once a writer
// waits, new readers queue behind it (that is what turns "mmap_sem held for
// read, then a nested fault takes it for read again" into a deadlock when a
// writer arrives in between). One word: the reader count in the low bits, a
// held-by-writer bit, and a count of waiting writers above.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc, Value } from "../program/value.ts";
import type { ModelBuilder } from "../program/model.ts";
import { mightSleep, noteAcquired, noteReleased } from "./kernelThread.ts";

const READERS = 0xffff;
const WRITER = 1 << 16;
const WAITER = 1 << 17;

/** An rw_semaphore word as traces print it: `free`, `2 readers`, `writer (1 writer waiting)`. */
export function rwsemState(v: Value): string | undefined {
  if (typeof v !== "number") return undefined;
  const held = writerHeld(v) ? "writer" : readers(v) > 0 ? `${readers(v)} reader${readers(v) > 1 ? "s" : ""}` : "free";
  const waiting = writersWaiting(v);
  // In parentheses: traces print an RMW as `old→new`, and a comma would read as the next access.
  return waiting === 0 ? held : `${held} (${waiting} writer${waiting > 1 ? "s" : ""} waiting)`;
}

/** Declares `sems` as rw_semaphores, so traces print their words as holders (rwsemState). */
export function describeRwsem(m: ModelBuilder, sems: Loc | readonly Loc[]): void {
  m.describe(sems, rwsemState);
}

const readers = (v: number) => v & READERS;
const writerHeld = (v: number) => (v & WRITER) !== 0;
const writersWaiting = (v: number) => v >> 17;

export function* downRead(t: ThreadContext, sem: Loc): Access<void> {
  mightSleep(t, `down_read(${sem.name})`);
  yield* t.awaitRmw(sem, (v) => !writerHeld(v) && writersWaiting(v) === 0, (v) => v + 1, "acquire", `down_read(${sem.name})`);
  noteAcquired(t, sem.name, "rwsem-read");
}

export function* downReadTrylock(t: ThreadContext, sem: Loc): Access<boolean> {
  const old = yield* t.rmw(sem, (v) => (!writerHeld(v) && writersWaiting(v) === 0 ? v + 1 : undefined), "acquire", `down_read_trylock(${sem.name})`);
  if (writerHeld(old) || writersWaiting(old) > 0) return false;
  noteAcquired(t, sem.name, "rwsem-read");
  return true;
}

export function* upRead(t: ThreadContext, sem: Loc): Access<void> {
  noteReleased(t, sem.name, "rwsem-read", true);
  yield* t.rmw(sem, (v) => v - 1, "release", `up_read(${sem.name})`);
}

/** Takes the semaphore at once when it is free; otherwise registers as a waiting writer (blocking new readers) and sleeps. */
export function* downWrite(t: ThreadContext, sem: Loc): Access<void> {
  mightSleep(t, `down_write(${sem.name})`);
  const old = yield* t.rmw(sem, (v) => (v === 0 ? WRITER : v + WAITER), "acquire", `down_write(${sem.name})`);
  if (old !== 0) {
    yield* t.awaitRmw(sem, (v) => readers(v) === 0 && !writerHeld(v), (v) => v - WAITER + WRITER, "acquire", `down_write(${sem.name}): sleep`);
  }
  noteAcquired(t, sem.name, "rwsem-write");
}

/**
 * down_write_trylock: takes the semaphore only when nobody holds it and no
 * writer waits; never sleeps. A failed attempt orders nothing (a once read).
 */
export function* downWriteTrylock(t: ThreadContext, sem: Loc): Access<boolean> {
  const name = `down_write_trylock(${sem.name})`;
  const old = yield* t.rmwValue(sem, (v) => (v === 0 ? WRITER : undefined), "acquire", { name, failMode: "once" });
  if (old !== 0) return false;
  noteAcquired(t, sem.name, "rwsem-write");
  return true;
}

export function* upWrite(t: ThreadContext, sem: Loc): Access<void> {
  noteReleased(t, sem.name, "rwsem-write", true);
  yield* t.rmw(sem, (v) => v - WRITER, "release", `up_write(${sem.name})`);
}
