// The kernel primitives a litmus process may call: exactly the macros of
// herd's linux-kernel.def, each with the shape of its arguments and the
// pagerace operation it becomes. herd annotations map to access modes as
// ONCE -> "once" (plain reads/writes) or "relaxed" (RMWs), ACQUIRE ->
// "acquire", RELEASE -> "release", MB -> "mb"; NORETURN atomics are relaxed
// RMWs tagged "noreturn".

import type { AccessMode, FenceKind, Tag } from "../program/operation.ts";

/**
 * What an argument is. `lvalue`: the accessed object itself, as in
 * `READ_ONCE(*x)` (herd's `__load{ONCE}(X)`). `address`: a pointer to it, as
 * in `smp_load_acquire(x)` (herd's `__load{ACQUIRE}(*X)`). The rest are values.
 */
export type ArgRole = "lvalue" | "address" | "value" | "expected" | "desired" | "unless";

/** Read-modify-write arithmetic: `&~` is andnot. */
export type AtomicOperator = "+" | "-" | "&" | "|" | "^" | "&~";

export type RmwMode = "relaxed" | "acquire" | "release" | "mb";

export type PrimitiveEffect =
  | { readonly kind: "load"; readonly mode: AccessMode; readonly tags?: readonly Tag[] }
  | { readonly kind: "store"; readonly mode: AccessMode; readonly tags?: readonly Tag[]; readonly fenceAfter?: FenceKind }
  | { readonly kind: "fence"; readonly fence: FenceKind }
  | { readonly kind: "xchg"; readonly mode: RmwMode }
  | { readonly kind: "cmpxchg"; readonly mode: RmwMode }
  /**
   * `*X = *X op operand` atomically. `operand` is the `value` argument, or
   * the constant 1 of inc/dec. `returns`: nothing (void, herd NORETURN),
   * the old value (fetch_*) or the new one (*_return); `test` turns the new
   * value into a truth value (*_and_test, add_negative).
   */
  | {
      readonly kind: "atomicUpdate";
      readonly operator: AtomicOperator;
      readonly constant?: number;
      readonly mode: RmwMode;
      readonly returns: "nothing" | "old" | "new";
      readonly test?: "isZero" | "isNegative";
    }
  /** `atomic_add_unless(X, V, U)`: adds V unless *X == U; returns whether it added. */
  | { readonly kind: "addUnless"; readonly mode: RmwMode }
  | { readonly kind: "spinLock" }
  | { readonly kind: "spinUnlock" }
  | { readonly kind: "spinTrylock" }
  | { readonly kind: "spinIsLocked" }
  | { readonly kind: "syncSrcu" }
  /** Accepted and compiled to nothing: an ordering the model now gives without it. */
  | { readonly kind: "nothing" };

export interface Primitive {
  readonly name: string;
  /** One role per argument, in call order. */
  readonly args: readonly ArgRole[];
  /** Whether a call yields a value (may appear inside an expression). */
  readonly returnsValue: boolean;
  readonly effect: PrimitiveEffect;
}

const table = new Map<string, Primitive>();
const legacyTable = new Map<string, Primitive>();

function define(name: string, args: readonly ArgRole[], returnsValue: boolean, effect: PrimitiveEffect): void {
  if (table.has(name)) throw new Error(`primitive ${name} defined twice`);
  table.set(name, { name, args, returnsValue, effect });
}

/** A macro an earlier linux-kernel.def had, kept so that older litmus tests still run. */
function defineLegacy(name: string, args: readonly ArgRole[], returnsValue: boolean, effect: PrimitiveEffect): void {
  if (table.has(name) || legacyTable.has(name)) throw new Error(`primitive ${name} defined twice`);
  legacyTable.set(name, { name, args, returnsValue, effect });
}

const fence = (name: string, kind: FenceKind): void => define(name, [], false, { kind: "fence", fence: kind });

/** The four orderings of an RMW family: `name` (mb), `name_relaxed`, `name_acquire`, `name_release`. */
function orderings(name: string, each: (variant: string, mode: RmwMode) => void): void {
  each(name, "mb");
  each(`${name}_relaxed`, "relaxed");
  each(`${name}_acquire`, "acquire");
  each(`${name}_release`, "release");
}

// ONCE, release/acquire and friends.
define("READ_ONCE", ["lvalue"], true, { kind: "load", mode: "once" });
define("WRITE_ONCE", ["lvalue", "value"], false, { kind: "store", mode: "once" });
define("smp_load_acquire", ["address"], true, { kind: "load", mode: "acquire" });
define("smp_store_release", ["address", "value"], false, { kind: "store", mode: "release" });
define("rcu_dereference", ["lvalue"], true, { kind: "load", mode: "once" });
define("rcu_assign_pointer", ["lvalue", "value"], false, { kind: "store", mode: "release" });
define("smp_store_mb", ["lvalue", "value"], false, { kind: "store", mode: "once", fenceAfter: "mb" });

// Fences.
fence("smp_mb", "mb");
fence("smp_rmb", "rmb");
fence("smp_wmb", "wmb");
fence("smp_mb__before_atomic", "before-atomic");
fence("smp_mb__after_atomic", "after-atomic");
fence("smp_mb__after_spinlock", "after-spinlock");
fence("smp_mb__after_unlock_lock", "after-unlock-lock");
fence("smp_mb__after_srcu_read_unlock", "after-srcu-read-unlock");
fence("barrier", "barrier");

// Exchange.
orderings("xchg", (name, mode) => define(name, ["address", "value"], true, { kind: "xchg", mode }));
orderings("cmpxchg", (name, mode) => define(name, ["address", "expected", "desired"], true, { kind: "cmpxchg", mode }));

// Spinlocks.
define("spin_lock", ["address"], false, { kind: "spinLock" });
define("spin_unlock", ["address"], false, { kind: "spinUnlock" });
define("spin_trylock", ["address"], true, { kind: "spinTrylock" });
define("spin_is_locked", ["address"], true, { kind: "spinIsLocked" });

// RCU.
fence("rcu_read_lock", "rcu-lock");
fence("rcu_read_unlock", "rcu-unlock");
fence("synchronize_rcu", "sync-rcu");
fence("synchronize_rcu_expedited", "sync-rcu");

// SRCU: lock reads the domain (the index it returns), unlock writes the index back.
define("srcu_read_lock", ["address"], true, { kind: "load", mode: "once", tags: ["srcu-lock"] });
define("srcu_read_unlock", ["address", "value"], false, { kind: "store", mode: "once", tags: ["srcu-unlock"] });
define("srcu_down_read", ["address"], true, { kind: "load", mode: "once", tags: ["srcu-lock"] });
define("srcu_up_read", ["address", "value"], false, { kind: "store", mode: "once", tags: ["srcu-unlock"] });
define("synchronize_srcu", ["address"], false, { kind: "syncSrcu" });
define("synchronize_srcu_expedited", ["address"], false, { kind: "syncSrcu" });

// Atomics: plain accessors.
define("atomic_read", ["address"], true, { kind: "load", mode: "once" });
define("atomic_set", ["address", "value"], false, { kind: "store", mode: "once" });
define("atomic_read_acquire", ["address"], true, { kind: "load", mode: "acquire" });
define("atomic_set_release", ["address", "value"], false, { kind: "store", mode: "release" });

// Atomics without a result (herd NORETURN): relaxed RMWs.
const voidOps: readonly [string, AtomicOperator, number | undefined][] = [
  ["atomic_add", "+", undefined],
  ["atomic_sub", "-", undefined],
  ["atomic_and", "&", undefined],
  ["atomic_or", "|", undefined],
  ["atomic_xor", "^", undefined],
  ["atomic_inc", "+", 1],
  ["atomic_dec", "-", 1],
  ["atomic_andnot", "&~", undefined],
];
for (const [name, operator, constant] of voidOps) {
  const args: ArgRole[] = constant === undefined ? ["value", "address"] : ["address"];
  define(name, args, false, { kind: "atomicUpdate", operator, constant, mode: "relaxed", returns: "nothing" });
}

// Atomics returning the new value (`*_return`) or the old one (`fetch_*`), in four orderings.
const valueOps: readonly [string, AtomicOperator, number | undefined, "old" | "new"][] = [
  ["atomic_add_return", "+", undefined, "new"],
  ["atomic_fetch_add", "+", undefined, "old"],
  ["atomic_fetch_and", "&", undefined, "old"],
  ["atomic_fetch_or", "|", undefined, "old"],
  ["atomic_fetch_xor", "^", undefined, "old"],
  ["atomic_inc_return", "+", 1, "new"],
  ["atomic_fetch_inc", "+", 1, "old"],
  ["atomic_sub_return", "-", undefined, "new"],
  ["atomic_fetch_sub", "-", undefined, "old"],
  ["atomic_dec_return", "-", 1, "new"],
  ["atomic_fetch_dec", "-", 1, "old"],
  ["atomic_fetch_andnot", "&~", undefined, "old"],
];
for (const [family, operator, constant, returns] of valueOps) {
  const args: ArgRole[] = constant === undefined ? ["value", "address"] : ["address"];
  orderings(family, (name, mode) => define(name, args, true, { kind: "atomicUpdate", operator, constant, mode, returns }));
}

orderings("atomic_xchg", (name, mode) => define(name, ["address", "value"], true, { kind: "xchg", mode }));
orderings("atomic_cmpxchg", (name, mode) => define(name, ["address", "expected", "desired"], true, { kind: "cmpxchg", mode }));

// Tests on the new value: fully ordered only, except add_negative.
define("atomic_sub_and_test", ["value", "address"], true, { kind: "atomicUpdate", operator: "-", mode: "mb", returns: "new", test: "isZero" });
define("atomic_dec_and_test", ["address"], true, { kind: "atomicUpdate", operator: "-", constant: 1, mode: "mb", returns: "new", test: "isZero" });
define("atomic_inc_and_test", ["address"], true, { kind: "atomicUpdate", operator: "+", constant: 1, mode: "mb", returns: "new", test: "isZero" });
orderings("atomic_add_negative", (name, mode) =>
  define(name, ["value", "address"], true, { kind: "atomicUpdate", operator: "+", mode, returns: "new", test: "isNegative" }),
);

define("atomic_add_unless", ["address", "value", "unless"], true, { kind: "addUnless", mode: "mb" });

// Macros the kernel has since removed, which public litmus corpora written
// before the removal still call. Address dependencies from marked loads now
// order what these once had to ask for, so lockless_dereference() is the load
// rcu_dereference() is, and smp_read_barrier_depends() adds nothing.
defineLegacy("lockless_dereference", ["lvalue"], true, { kind: "load", mode: "once" });
defineLegacy("smp_read_barrier_depends", [], false, { kind: "nothing" });

/** The macros of the current linux-kernel.def. */
export const PRIMITIVES: ReadonlyMap<string, Primitive> = table;
/** Macros of earlier linux-kernel.def versions that litmus tests may still call. */
export const LEGACY_PRIMITIVES: ReadonlyMap<string, Primitive> = legacyTable;

export function findPrimitive(name: string): Primitive | undefined {
  return table.get(name) ?? legacyTable.get(name);
}
