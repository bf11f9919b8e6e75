// End to end against herd7: every corpus test compiled by the litmus front
// end, all its candidate executions enumerated and judged by LKMM; the
// number of consistent executions where the condition holds / fails must be
// herd7's Positive / Negative, and the flags herd7's `Flag` lines.
//
// The front end and the enumerator belong to other parts of pagerace and
// are loaded dynamically: when they are missing, or fail on a test, that
// test is skipped with the reason (the model is not what is at fault).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { lkmm } from "../../src/models/lkmm/index.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { FinalState, Model } from "../../src/program/model.ts";
import { litmusFilesUnder } from "../../src/litmus/run/litmusFiles.ts";

interface Compiled {
  readonly model: Model;
  evaluate(s: FinalState): boolean;
  filter(s: FinalState): boolean;
}
interface Frontend {
  parseLitmus(text: string, file: string): unknown;
  compileLitmus(test: unknown): Compiled;
}
interface Explorer {
  explore(
    model: Model,
    options: {
      memoryModel: typeof lkmm;
      strategy: "candidates";
      stopOnViolation: false;
      onExecution: (g: ExecutionGraph, o: { status: string; final: FinalState }) => void;
    },
  ): unknown;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = path.resolve(root, "../shared/litmus");

async function load<T>(relative: string): Promise<T | undefined> {
  const file = path.join(root, relative);
  if (!existsSync(file)) return undefined;
  try {
    return (await import(pathToFileURL(file).href)) as T;
  } catch {
    return undefined;
  }
}

const frontend = await load<Frontend>("src/litmus/index.ts");
const explorer = await load<Explorer>("src/explore/explore.ts");
const files = existsSync(corpus) ? litmusFilesUnder(corpus) : [];

for (const file of files) {
  const rel = path.relative(corpus, file);
  const answer = [`${file}.expected`, `${file}.herd7`].find(existsSync);
  const text = answer === undefined ? "" : readFileSync(answer, "utf8");
  const observation = /^Observation \S+ \w+ (\d+) (\d+)/m.exec(text);
  test(`LKMM counts as herd7: ${rel}`, (t) => {
    if (frontend === undefined || explorer === undefined) return t.skip("litmus front end or explorer not available");
    if (observation === null) return t.skip("herd7 gave no answer for this test");
    let compiled: Compiled;
    try {
      compiled = frontend.compileLitmus(frontend.parseLitmus(readFileSync(file, "utf8"), rel));
    } catch (e) {
      return t.skip(`front end: ${(e as Error).message}`);
    }
    let positive = 0;
    let negative = 0;
    const flags = new Set<string>();
    try {
      explorer.explore(compiled.model, {
        memoryModel: lkmm,
        strategy: "candidates",
        stopOnViolation: false,
        onExecution: (g, o) => {
          if (o.status !== "complete" || !compiled.filter(o.final)) return;
          if (compiled.evaluate(o.final)) positive++;
          else negative++;
          for (const f of lkmm.flags!(g)) flags.add(f);
        },
      });
    } catch (e) {
      return t.skip(`explorer: ${(e as Error).message}`);
    }
    assert.deepEqual([positive, negative], [Number(observation[1]), Number(observation[2])], "Positive, Negative");
    assert.deepEqual([...flags].sort(), [...text.matchAll(/^Flag (\S+)/gm)].map((m) => m[1]).sort(), "flags");
  });
}
