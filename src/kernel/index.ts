// The kernel primitives, written on the program API like any user model.

export * from "./atomic.ts";
export * from "./bitops.ts";
export * from "./barriers.ts";
export * from "./spinlock.ts";
export * from "./mutex.ts";
export * from "./rwsem.ts";
export * from "./bitLock.ts";
export * from "./rcu.ts";
export * from "./refcount.ts";
export * from "./userCopy.ts";
export * from "./waitQueue.ts";
export { kernelThread, mayExitHolding, misuse, mightSleep, type HeldLock, type LockKind } from "./kernelThread.ts";
export * from "./seqcount.ts";
export * from "./kref.ts";
export * from "./callRcu.ts";
