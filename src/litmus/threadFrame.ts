// The run-time state of one litmus process while its generator runs: its
// registers (locals and parameters), each value tagged with the reads it
// was computed from, the reads that the enclosing branches depended on
// (a control dependency reaches the accesses inside the branch, and ends
// with it), and the count of
// operations yielded so far (the thread-local numbering deps refer to).

import type { Dependencies, Operation } from "../program/operation.ts";
import type { Value } from "../program/value.ts";

/** Thread-local operation numbers, sorted, without repeats. */
export type DepSet = readonly number[];

export const NO_DEPS: DepSet = Object.freeze([]);

export function unionDeps(a: DepSet, b: DepSet): DepSet {
  if (a.length === 0) return b;
  if (b.length === 0 || a === b) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) {
      out.push(x!);
      i++;
    } else if (x === undefined || y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  return out;
}

/** A value and the reads of this thread it was computed from. */
export interface Tracked {
  readonly value: Value;
  readonly deps: DepSet;
}

export const ZERO: Tracked = Object.freeze({ value: 0, deps: NO_DEPS });

export function untracked(value: Value): Tracked {
  return { value, deps: NO_DEPS };
}

export type ThreadGen<T> = Generator<Operation, T, Value | undefined>;

/** Computes a value, yielding the memory operations that takes. */
export type Evaluator = (f: ThreadFrame) => ThreadGen<Tracked>;

/** Runs a statement. */
export type Executor = (f: ThreadFrame) => ThreadGen<void>;

export class ThreadFrame {
  readonly registers: Map<string, Tracked>;
  /** Reads that the conditions of the branches being executed depended on. */
  control: DepSet = NO_DEPS;
  private opCount = 0;

  constructor(initial: ReadonlyMap<string, Tracked>) {
    this.registers = new Map(initial);
  }

  register(name: string): Tracked {
    return this.registers.get(name) ?? ZERO;
  }

  /**
   * Entering a branch on a value computed from `deps`: the accesses inside
   * it are control-dependent on them. Returns the control in force outside
   * the branch, for `endBranch`.
   */
  branchOn(deps: DepSet): DepSet {
    const outside = this.control;
    this.control = unionDeps(outside, deps);
    return outside;
  }

  /** Leaving a branch: the accesses after it depend only on the branches still enclosing them. */
  endBranch(outside: DepSet): void {
    this.control = outside;
  }

  /** The dependencies of the next operation, given those of its address and of the value it writes. */
  dependencies(addr: DepSet, data: DepSet): Dependencies {
    return { addr, data, ctrl: this.control };
  }

  /** Yields `op`; returns its thread-local number and what the engine answered (the value read, for reads and RMWs). */
  *emit(op: Operation): ThreadGen<{ index: number; result: Value | undefined }> {
    const index = this.opCount++;
    const result = yield op;
    return { index, result };
  }
}
