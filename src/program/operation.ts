// The requests a thread yields to the engine. Each operation becomes one
// event of the execution graph, or two for a successful RMW (a read and a write).

import type { Loc, Value } from "./value.ts";

/**
 * How an access is ordered. SC ignores modes; TSO and LKMM read them.
 * RMWs: `relaxed` (void or _relaxed), `acquire`, `release`, `mb` (fully ordered).
 */
export type AccessMode = "plain" | "once" | "acquire" | "release" | "relaxed" | "mb";

/** Fences, named as in the kernel. `barrier` is a compiler barrier only. */
export type FenceKind =
  | "mb"
  | "rmb"
  | "wmb"
  | "before-atomic"
  | "after-atomic"
  | "after-spinlock"
  | "after-unlock-lock"
  | "barrier"
  | "after-srcu-read-unlock"
  | "rcu-lock"
  | "rcu-unlock"
  | "sync-rcu"
  | "sync-srcu";

/**
 * Syntactic dependencies of an access on earlier reads of the same thread,
 * as thread-local operation numbers (0 = the thread's first memory
 * operation). Filled in by front ends that know them (litmus); LKMM reads them.
 */
export interface Dependencies {
  readonly addr?: readonly number[];
  readonly data?: readonly number[];
  readonly ctrl?: readonly number[];
}

/**
 * Extra annotations that only some models read. LKMM uses:
 * `noreturn` (void RMW: atomic_inc, set_bit), `lock` (spin_lock and
 * spin_trylock RMWs: LKR/LKW, or LF when a trylock fails), `unlock`
 * (spin_unlock's write: UL), `islocked` (spin_is_locked's read: RL/RU),
 * `srcu-lock` / `srcu-unlock` (srcu_read_lock's read, srcu_read_unlock's write).
 */
export type Tag = string;

interface OpCommon {
  /** The operation's name in traces: `READ_ONCE`, `cmpxchg`, `spin_lock`. */
  readonly name?: string;
  readonly deps?: Dependencies;
  readonly tags?: readonly Tag[];
}

export interface ReadOp extends OpCommon {
  readonly kind: "read";
  readonly loc: Loc;
  readonly mode: AccessMode;
  /** An await: the read may only complete with a value satisfying this; otherwise the thread waits. */
  readonly until?: (v: Value) => boolean;
}

export interface WriteOp extends OpCommon {
  readonly kind: "write";
  readonly loc: Loc;
  readonly value: Value;
  readonly mode: AccessMode;
}

export interface RmwOp extends OpCommon {
  readonly kind: "rmw";
  readonly loc: Loc;
  readonly mode: AccessMode;
  /** The value to write for the value read, or undefined when the RMW fails (a failed cmpxchg): then only the read happens. */
  readonly update: (old: Value) => Value | undefined;
  /** Mode of the read when the RMW fails (LKMM: a failed cmpxchg is unordered). */
  readonly failMode?: AccessMode;
  /** An await-RMW (lock acquisition): block until the value satisfies this, then update atomically. */
  readonly until?: (v: Value) => boolean;
}

export interface FenceOp extends OpCommon {
  readonly kind: "fence";
  readonly fence: FenceKind;
  /** The SRCU domain of `sync-srcu`. */
  readonly loc?: Loc;
}

export type Operation = ReadOp | WriteOp | RmwOp | FenceOp;

/** What a thread generator is: it yields operations and receives each read's value. */
export type ThreadBody<R = unknown> = Generator<Operation, R, Value | undefined>;
export type ThreadFunction = (t: import("./threadContext.ts").ThreadContext) => ThreadBody;
