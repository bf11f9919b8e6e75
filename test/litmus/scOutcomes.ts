// A tiny sequentially consistent explorer for tests of the litmus compiler.
// Threads are deterministic given the values they receive, so a thread's
// state is the list of answers it got; the explorer replays generators from
// that list and memoises, and visits each (memory, answers) state once.
// RCU is implemented the simple way: a grace period (`sync-rcu`) happens
// at an instant when no other thread is inside a read-side critical
// section. Every such execution is allowed by LKMM, so the SC final states
// of a test must appear among herd7's LKMM `States`.

import type { FinalState, Model } from "../../src/program/model.ts";
import type { Operation } from "../../src/program/operation.ts";
import { ThreadContext } from "../../src/program/threadContext.ts";
import { asInteger, type Loc, type Value } from "../../src/program/value.ts";

type Answer = Value | undefined;
type Step = { readonly op: Operation } | { readonly result: Record<string, Value> };

export interface ScResult {
  readonly finals: FinalState[];
  /** States where no thread could move although some had not finished (a lock never released). */
  readonly stuck: number;
  readonly exhausted: boolean;
}

function keyOf(v: Answer): string {
  return v === undefined ? "_" : typeof v === "number" ? String(v) : `&${v.name}`;
}

export function scOutcomes(model: Model, maxStates = 200_000): ScResult {
  const replayed = new Map<string, Step>();
  const stepOf = (tid: number, answers: readonly Answer[]): Step => {
    const key = `${tid}|${answers.map(keyOf).join(",")}`;
    const cached = replayed.get(key);
    if (cached) return cached;
    const spec = model.threads[tid]!;
    const gen = spec.body(new ThreadContext(tid, spec.name));
    let r = gen.next(undefined);
    for (const a of answers) {
      if (r.done) throw new Error(`replay of ${spec.name} ended early`);
      r = gen.next(a);
    }
    const step: Step = r.done ? { result: r.value as Record<string, Value> } : { op: r.value };
    replayed.set(key, step);
    return step;
  };

  const finals: FinalState[] = [];
  const seen = new Set<string>();
  let stuck = 0;
  let exhausted = false;
  // rcuDepth follows from each thread's answers (threads are deterministic), so it stays out of the key.
  const visit = (memory: readonly Value[], answers: readonly (readonly Answer[])[], rcuDepth: readonly number[]): void => {
    const key = memory.map(keyOf).join(",") + "|" + answers.map((a) => a.map(keyOf).join(",")).join(";");
    if (seen.has(key)) return;
    if (seen.size >= maxStates) {
      exhausted = true;
      return;
    }
    seen.add(key);
    let moved = false;
    let running = false;
    const results: (Record<string, Value> | undefined)[] = [];
    for (let tid = 0; tid < model.threads.length; tid++) {
      const step = stepOf(tid, answers[tid]!);
      if ("result" in step) {
        results.push(step.result);
        continue;
      }
      results.push(undefined);
      running = true;
      const op = step.op;
      if (op.kind === "fence" && op.fence === "sync-rcu" && rcuDepth.some((d, i) => i !== tid && d > 0)) continue;
      const next = apply(op, memory);
      if (next === undefined) continue;
      moved = true;
      const nextAnswers = answers.map((a, i) => (i === tid ? [...a, next.answer] : a));
      const delta = op.kind === "fence" ? (op.fence === "rcu-lock" ? 1 : op.fence === "rcu-unlock" ? -1 : 0) : 0;
      visit(next.memory, nextAnswers, rcuDepth.map((d, i) => (i === tid ? d + delta : d)));
    }
    if (!running) finals.push(finalState(model, memory, results));
    else if (!moved) stuck++;
  };
  visit(model.initial, model.threads.map(() => []), model.threads.map(() => 0));
  return { finals, stuck, exhausted };
}

/** Performs one operation atomically; undefined when it must wait. */
function apply(op: Operation, memory: readonly Value[]): { memory: readonly Value[]; answer: Answer } | undefined {
  const write = (loc: Loc, v: Value): Value[] => memory.map((old, i) => (i === loc.id ? v : old));
  switch (op.kind) {
    case "fence":
      return { memory, answer: undefined };
    case "read": {
      const v = memory[op.loc.id]!;
      if (op.until && !op.until(v)) return undefined;
      return { memory, answer: v };
    }
    case "write":
      return { memory: write(op.loc, op.value), answer: undefined };
    case "rmw": {
      const old = memory[op.loc.id]!;
      if (op.until && !op.until(old)) return undefined;
      const updated = op.update(old);
      return { memory: updated === undefined ? memory : write(op.loc, updated), answer: old };
    }
  }
}

function finalState(model: Model, memory: readonly Value[], results: readonly (Record<string, Value> | undefined)[]): FinalState {
  return {
    value: (loc) => memory[loc.id]!,
    int: (loc) => asInteger(memory[loc.id]!, loc.name),
    result: (thread) => results[model.threads.findIndex((t) => t.name === thread)],
  };
}
