// Runs one compiled litmus thread by hand: answers each read and RMW with
// the next chosen value, and records the operations it yields.

import assert from "node:assert/strict";
import { compileLitmus, parseLitmus, type CompiledLitmus } from "../../src/litmus/index.ts";
import type { Operation } from "../../src/program/operation.ts";
import { ThreadContext } from "../../src/program/threadContext.ts";
import type { Loc, Value } from "../../src/program/value.ts";

export interface ThreadRun {
  readonly ops: Operation[];
  /** The thread's final registers. */
  readonly result: Record<string, Value>;
}

export function driveThread(compiled: CompiledLitmus, thread: string, answers: readonly Value[] = []): ThreadRun {
  const tid = compiled.model.threads.findIndex((t) => t.name === thread);
  if (tid < 0) throw new Error(`no thread ${thread}`);
  const gen = compiled.model.threads[tid]!.body(new ThreadContext(tid, thread));
  const ops: Operation[] = [];
  let next = 0;
  let r = gen.next(undefined);
  while (!r.done) {
    const op = r.value;
    ops.push(op);
    let answer: Value | undefined;
    if (op.kind === "read" || op.kind === "rmw") {
      if (next >= answers.length) throw new Error(`${thread}: no answer left for ${op.kind} of ${op.loc.name} (op ${ops.length - 1})`);
      answer = answers[next++];
    }
    r = gen.next(answer);
  }
  if (next !== answers.length) throw new Error(`${thread}: ${answers.length - next} answers unused`);
  // Copied into an ordinary object for comparing with literals (the compiled thread's has no prototype).
  return { ops, result: { ...(r.value as Record<string, Value>) } };
}

/** The fields of an operation worth comparing in tests (no closures). */
export function summarize(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: op.kind };
  if (op.kind !== "fence") {
    out.loc = op.loc.name;
    out.mode = op.mode;
  } else {
    out.fence = op.fence;
    if (op.loc) out.loc = op.loc.name;
  }
  if (op.kind === "write") out.value = typeof op.value === "number" ? op.value : `&${op.value.name}`;
  if (op.tags && op.tags.length > 0) out.tags = [...op.tags];
  return out;
}

export function compile(text: string): CompiledLitmus {
  return compileLitmus(parseLitmus(text, "t.litmus"));
}

export function loc(c: CompiledLitmus, name: string): Loc {
  const l = c.locations.get(name);
  assert.ok(l, `no location ${name}`);
  return l;
}

export function deps(op: Operation): { addr: number[]; data: number[]; ctrl: number[] } {
  return { addr: [...(op.deps?.addr ?? [])], data: [...(op.deps?.data ?? [])], ctrl: [...(op.deps?.ctrl ?? [])] };
}
