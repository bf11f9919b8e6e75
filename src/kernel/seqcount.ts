// seqcount_t and seqlock_t (include/linux/seqlock.h, v3.x–v6.x): a writer
// makes the sequence odd, updates, makes it even again; a reader takes an
// even sequence, reads, and retries if the sequence moved. Readers take no
// lock and never block the writer. The barriers are the protocol under a
// weak memory model: smp_wmb() after the writer's first increment and before
// its second, smp_rmb() after the reader's first read of the sequence and
// before its re-read. Writers must exclude each other themselves
// (seqlock_t does it with its spinlock).

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { smpRmb, smpWmb } from "./barriers.ts";
import { describeLockWord, spinLock, spinUnlock } from "./spinlock.ts";
import { misuse } from "./kernelThread.ts";

export class Seqcount {
  readonly sequence: Loc;
  constructor(m: ModelBuilder, readonly name: string) {
    this.sequence = m.location(`${name}.sequence`, 0);
  }
}

export interface SeqReadOptions {
  /** Leave out the reader's smp_rmb (a broken reader, to show what the barrier is for). */
  readonly noBarrier?: boolean;
}

/** read_seqcount_begin(), v3.x–v6.x: wait for an even sequence (no writer inside), then smp_rmb. Returns the sequence for read_seqcount_retry. */
export function* readSeqcountBegin(t: ThreadContext, s: Seqcount, opts: SeqReadOptions = {}): Access<number> {
  const seq = yield* t.await(s.sequence, (v) => (v & 1) === 0, "once", `read_seqcount_begin(${s.name})`);
  if (!opts.noBarrier) yield* smpRmb(t);
  return seq;
}

/** read_seqcount_retry(), v3.x–v6.x: smp_rmb, then whether the sequence moved since `start` (the reads must be retried). */
export function* readSeqcountRetry(t: ThreadContext, s: Seqcount, start: number, opts: SeqReadOptions = {}): Access<boolean> {
  if (!opts.noBarrier) yield* smpRmb(t);
  return (yield* t.read(s.sequence, "once", undefined)) !== start;
}

/** write_seqcount_begin(), v3.x–v6.x: the sequence goes odd, then smp_wmb. The caller excludes other writers. */
export function* writeSeqcountBegin(t: ThreadContext, s: Seqcount): Access<void> {
  const seq = yield* t.read(s.sequence, "once");
  if ((seq & 1) !== 0) misuse(t, `write_seqcount_begin(${s.name}) with a write section already open: writers must be serialised`);
  yield* t.write(s.sequence, seq + 1, "once", undefined, `write_seqcount_begin(${s.name})`);
  yield* smpWmb(t);
}

/** write_seqcount_end(), v3.x–v6.x: smp_wmb, then the sequence goes even again. */
export function* writeSeqcountEnd(t: ThreadContext, s: Seqcount): Access<void> {
  yield* smpWmb(t);
  const seq = yield* t.read(s.sequence, "once");
  if ((seq & 1) === 0) misuse(t, `write_seqcount_end(${s.name}) without write_seqcount_begin`);
  yield* t.write(s.sequence, seq + 1, "once", undefined, `write_seqcount_end(${s.name})`);
}

/**
 * A reader's whole critical section: read_seqcount_begin, `body`, and again
 * while read_seqcount_retry says the sequence moved. Returns the last
 * body's result, the one read under an unchanged sequence.
 */
export function* seqcountRead<T>(t: ThreadContext, s: Seqcount, body: (t: ThreadContext) => Access<T>, opts: SeqReadOptions = {}): Access<T> {
  for (;;) {
    const start = yield* readSeqcountBegin(t, s, opts);
    const value = yield* body(t);
    if (!(yield* readSeqcountRetry(t, s, start, opts))) return value;
  }
}

/** seqlock_t: a seqcount whose writers are serialised by a spinlock. */
export class Seqlock {
  readonly seqcount: Seqcount;
  readonly lock: Loc;
  constructor(m: ModelBuilder, readonly name: string) {
    this.seqcount = new Seqcount(m, name);
    this.lock = m.location(`${name}.lock`, 0);
    describeLockWord(m, this.lock);
  }
}

/** write_seqlock(), v2.6–v6.x: spin_lock, write_seqcount_begin. */
export function* writeSeqlock(t: ThreadContext, sl: Seqlock): Access<void> {
  yield* spinLock(t, sl.lock);
  yield* writeSeqcountBegin(t, sl.seqcount);
}

/** write_sequnlock(), v2.6–v6.x: write_seqcount_end, spin_unlock. */
export function* writeSequnlock(t: ThreadContext, sl: Seqlock): Access<void> {
  yield* writeSeqcountEnd(t, sl.seqcount);
  yield* spinUnlock(t, sl.lock);
}

/** read_seqbegin(), v2.6–v6.x. */
export function readSeqbegin(t: ThreadContext, sl: Seqlock): Access<number> {
  return readSeqcountBegin(t, sl.seqcount);
}

/** read_seqretry(), v2.6–v6.x. */
export function readSeqretry(t: ThreadContext, sl: Seqlock, start: number): Access<boolean> {
  return readSeqcountRetry(t, sl.seqcount, start);
}
