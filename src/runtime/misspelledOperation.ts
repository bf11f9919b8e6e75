// A thread that calls an operation its context does not have (`t.raed(x)`)
// throws a TypeError whose words do not name it: V8 says of
// `yield* t.raed(x)` that "(intermediate value)(intermediate value) is not
// iterable". Where the error says where it was thrown, the call at that
// line is read back from the model's file, and a property the thread
// context lacks is named, with the operation of the closest name.

import { readFileSync } from "node:fs";
import { ThreadContext } from "../program/threadContext.ts";

const LOCATION = /^(.*):(\d+):(\d+)$/;
const MEMBER_CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/g;

/** The thread context's operations, by name (read when first needed: the modules import each other). */
let operations: Set<string> | undefined;
function operationNames(): Set<string> {
  return (operations ??= new Set(Object.getOwnPropertyNames(ThreadContext.prototype).filter((n) => n !== "constructor" && !n.startsWith("_"))));
}

/** `(t.raed is not an operation of the thread context; did you mean t.read?)`, or undefined when the line shows no such call. */
export function misspelledOperation(error: TypeError, at: string): string | undefined {
  if (!/is not (iterable|a function)/.test(error.message)) return undefined;
  const m = LOCATION.exec(at);
  if (m === null) return undefined;
  let line: string | undefined;
  try {
    line = readFileSync(m[1]!, "utf8").split("\n")[Number(m[2]) - 1];
  } catch {
    return undefined;
  }
  if (line === undefined) return undefined;
  for (const [, object, name] of line.matchAll(MEMBER_CALL)) {
    if (operationNames().has(name!)) continue;
    const closest = nearest(name!);
    if (closest === undefined) continue;
    return `${object}.${name} is not an operation of the thread context; did you mean ${object}.${closest}?`;
  }
  return undefined;
}

/** The operation within two edits of `name`, the nearest first. */
function nearest(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const op of operationNames()) {
    const d = editDistance(name.toLowerCase(), op.toLowerCase());
    if (d < bestDistance) (best = op), (bestDistance = d);
  }
  return best;
}

/** Levenshtein distance, with an adjacent exchange counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
