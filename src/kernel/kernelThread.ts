// What the kernel knows about the thread it runs on: the locks it holds, how
// deep it is in RCU read sections and pagefault_disable(). The primitives use
// it to report misuse the way the kernel's debug options do (lockdep,
// might_sleep, "bad unlock balance") instead of modelling a silent hang.

import { AssertionFailure, type ThreadContext } from "../program/threadContext.ts";

export type LockKind = "spinlock" | "mutex" | "rwsem-read" | "rwsem-write" | "bit-lock";

export interface HeldLock {
  readonly name: string;
  readonly kind: LockKind;
}

export class KernelThread {
  readonly held: HeldLock[] = [];
  rcuDepth = 0;
  pagefaultDisabled = 0;
  /** Locks this thread may still hold when it returns (see mayExitHolding). */
  private readonly handedOff = new Set<string>();

  /**
   * Declares that the thread may return holding the lock named `name`: a
   * page lock that I/O completion or another thread unlocks, a lock whose
   * release the model leaves out. Without it, returning with a lock held is
   * reported as lockdep reports it.
   */
  mayExitHolding(name: string): void {
    this.handedOff.add(name);
  }

  /** What is still held that the thread did not declare it may keep: lockdep's check on return to user space. */
  heldAtExit(): string | undefined {
    if (this.held.length === 0 && this.rcuDepth === 0) return undefined;
    const locks = this.held.filter((l) => !this.handedOff.has(l.name)).map((l) => `${l.kind} ${l.name}`);
    if (this.rcuDepth > 0) locks.push("rcu_read_lock()");
    return locks.length === 0 ? undefined : locks.join(", ");
  }

  /** Spinlocks and RCU read sections make the context atomic: it must not sleep. */
  atomicReason(): string | undefined {
    const spin = this.held.find((l) => l.kind === "spinlock");
    if (spin !== undefined) return `holding spinlock ${spin.name}`;
    if (this.rcuDepth > 0) return "inside rcu_read_lock()";
    return undefined;
  }

  holds(name: string, kind?: LockKind): boolean {
    return this.held.some((l) => l.name === name && (kind === undefined || l.kind === kind));
  }
}

// Registered, so that a model's own copy of the kernel layer and pagerace's
// share one bookkeeping per thread: a lock taken through one is released
// through the other.
const KEY = Symbol.for("pagerace.kernelThread");

export function kernelThread(t: ThreadContext): KernelThread {
  return t.local(KEY, () => {
    const k = new KernelThread();
    // `?.`: a model's own copy of this layer may run on an older engine, whose thread contexts have no exit checks.
    t.atExit?.(() => {
      const held = k.heldAtExit();
      if (held !== undefined)
        misuse(t, `${t.name} returned holding ${held} (lock held when returning to user space); if another thread releases it, declare kernelThread(t).mayExitHolding(name)`);
    });
    return k;
  });
}

/** Shorthand for kernelThread(t).mayExitHolding(name). */
export function mayExitHolding(t: ThreadContext, name: string): void {
  kernelThread(t).mayExitHolding(name);
}

/** Reports a misuse of a kernel primitive: the execution fails with the thread, its step and what went wrong. */
export function misuse(t: ThreadContext, what: string): never {
  throw new AssertionFailure(`misuse: ${what}${t.currentStep === undefined ? "" : ` (step ${t.currentStep})`}`);
}

/** might_sleep(): sleeping with a spinlock held or inside an RCU read section is a bug. */
export function mightSleep(t: ThreadContext, what: string): void {
  const reason = kernelThread(t).atomicReason();
  if (reason !== undefined) misuse(t, `sleeping in atomic context: ${what} while ${reason}`);
}

export function noteAcquired(t: ThreadContext, name: string, kind: LockKind): void {
  kernelThread(t).held.push({ name, kind });
}

/** Forgets a held lock; `owned` locks (mutex, spinlock, rwsem) must be released by the thread that holds them. */
export function noteReleased(t: ThreadContext, name: string, kind: LockKind, owned: boolean): void {
  const held = kernelThread(t).held;
  let i = held.length - 1;
  while (i >= 0 && !(held[i]!.name === name && held[i]!.kind === kind)) i--;
  if (i >= 0) held.splice(i, 1);
  else if (owned) misuse(t, `releasing ${name} (${kind}), which ${t.name} does not hold`);
}
