// Reading herd7's output back: the stored reference answers (`.herd7`
// files, herdtools' `.expected` golden files) and pagerace's own blocks,
// so the two can be compared field by field.

import type { Observation } from "../../litmus/run/herdVerdict.ts";

export interface HerdAnswer {
  readonly name: string;
  /** Allowed, Forbidden or Required. */
  readonly expectation: string;
  readonly states: readonly string[];
  /** `Ok` (true) or `No` (false). */
  readonly ok: boolean;
  /** The `Positive:` / `Negative:` witnesses line. */
  readonly positive: number;
  readonly negative: number;
  readonly flags: readonly string[];
  readonly condition: string;
  readonly observation: Observation;
  /** The Observation line's counts: executions where the proposition holds / fails. */
  readonly holds: number;
  readonly fails: number;
  readonly hash?: string;
}

export type HerdOutput = { readonly kind: "answer"; readonly answer: HerdAnswer } | { readonly kind: "error"; readonly message: string };

/** The first herd block of `text`, or herd's error message when there is none. */
export function parseHerdOutput(text: string): HerdOutput {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Test "));
  if (start < 0) return { kind: "error", message: lines.find((l) => l.trim() !== "")?.trim() ?? "empty output" };
  const fail = (what: string): HerdOutput => ({ kind: "error", message: `malformed herd output: ${what}` });
  const test = /^Test (\S+) (\S+)$/.exec(lines[start]!);
  const count = /^States (\d+)$/.exec(lines[start + 1] ?? "");
  if (!test || !count) return fail("no 'Test' and 'States' lines");
  let i = start + 2;
  const states = lines.slice(i, i + Number(count[1]));
  i += states.length;
  const okLine = lines[i++] ?? "";
  if (!/^(Loop )?(Ok|No)$/.test(okLine)) return fail(`expected Ok or No, found '${okLine}'`);
  if (lines[i++] !== "Witnesses") return fail("no 'Witnesses' line");
  const witnesses = /^Positive: (\d+) Negative: (\d+)$/.exec(lines[i++] ?? "");
  if (!witnesses) return fail("no 'Positive: P Negative: N' line");
  const flags: string[] = [];
  while (lines[i]?.startsWith("Flag ")) flags.push(lines[i++]!.slice(5).trim());
  const condition = /^Condition (.*)$/.exec(lines[i++] ?? "");
  const observation = /^Observation \S+ (Always|Sometimes|Never) (\d+) (\d+)$/.exec(lines[i++] ?? "");
  if (!condition || !observation) return fail("no 'Condition' and 'Observation' lines");
  const hash = lines.slice(i, i + 3).find((l) => l.startsWith("Hash="));
  return {
    kind: "answer",
    answer: {
      name: test[1]!,
      expectation: test[2]!,
      states,
      ok: okLine.endsWith("Ok"),
      positive: Number(witnesses[1]),
      negative: Number(witnesses[2]),
      flags,
      condition: condition[1]!,
      observation: observation[1] as Observation,
      holds: Number(observation[2]),
      fails: Number(observation[3]),
      hash: hash?.slice("Hash=".length),
    },
  };
}
