// Bit operations on a word (include/asm-generic/bitops): set_bit/clear_bit
// are unordered void RMWs, test_and_{set,clear}_bit are fully ordered,
// test_and_set_bit_lock acquires and clear_bit_unlock releases; the __
// variants are not atomic at all (a read and a separate write).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import type { AccessMode, RmwOp } from "../program/operation.ts";
import { asInteger } from "../program/value.ts";

/** One bit of a word in memory; the word may be a whole flags word or a location of its own. */
export interface Bit {
  readonly loc: Loc;
  readonly bit: number;
  /** How traces name it: `PG_locked`. */
  readonly name: string;
}

const mask = (b: Bit) => 1 << b.bit;

function* voidRmw(b: Bit, update: (w: number) => number, mode: AccessMode, name: string): Access<void> {
  const op: RmwOp = { kind: "rmw", loc: b.loc, mode, update: (w) => update(asInteger(w, name)), name: `${name}(${b.name})`, tags: ["noreturn"] };
  yield op;
}

export function setBit(_t: ThreadContext, b: Bit): Access<void> {
  return voidRmw(b, (w) => w | mask(b), "relaxed", "set_bit");
}

export function clearBit(_t: ThreadContext, b: Bit): Access<void> {
  return voidRmw(b, (w) => w & ~mask(b), "relaxed", "clear_bit");
}

function* testAnd(t: ThreadContext, b: Bit, set: boolean, mode: AccessMode, name: string): Access<boolean> {
  const old = yield* t.rmw(b.loc, (w) => (set ? w | mask(b) : w & ~mask(b)), mode, `${name}(${b.name})`);
  return (old & mask(b)) !== 0;
}

/** Fully ordered; returns whether the bit was set. */
export function testAndSetBit(t: ThreadContext, b: Bit): Access<boolean> {
  return testAnd(t, b, true, "mb", "test_and_set_bit");
}

export function testAndClearBit(t: ThreadContext, b: Bit): Access<boolean> {
  return testAnd(t, b, false, "mb", "test_and_clear_bit");
}

/** Acquire-only: a bit lock's fast path. */
export function testAndSetBitLock(t: ThreadContext, b: Bit): Access<boolean> {
  return testAnd(t, b, true, "acquire", "test_and_set_bit_lock");
}

/** Release: a bit lock's unlock; returns whether the bit was set. */
export function clearBitUnlock(t: ThreadContext, b: Bit): Access<boolean> {
  return testAnd(t, b, false, "release", "clear_bit_unlock");
}

/** test_bit: a READ_ONCE of the word. */
export function* testBit(t: ThreadContext, b: Bit): Access<boolean> {
  const w = yield* t.readValue(b.loc, "once", undefined, `test_bit(${b.name})`);
  return (asInteger(w, "test_bit") & mask(b)) !== 0;
}

/** __set_bit: not atomic; a concurrent RMW on the same word between its read and write is lost. */
export function* nonAtomicSetBit(t: ThreadContext, b: Bit): Access<void> {
  const w = yield* t.read(b.loc, "plain");
  yield* t.write(b.loc, w | mask(b), "plain", undefined, `__set_bit(${b.name})`);
}

export function* nonAtomicClearBit(t: ThreadContext, b: Bit): Access<void> {
  const w = yield* t.read(b.loc, "plain");
  yield* t.write(b.loc, w & ~mask(b), "plain", undefined, `__clear_bit(${b.name})`);
}
