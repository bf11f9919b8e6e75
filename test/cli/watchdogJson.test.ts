// The ends a worker cannot report itself — a thread that never returns to
// the engine (stopped by the main thread's watchdog) and a worker out of
// heap — still leave, with --json, the pagerace-error document on stdout
// (kind "model", the message that stderr carries too) and exit code 2, for
// check, scenario, scenarios and replay alike.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { pagerace, type Ran } from "./pagerace.ts";
import { encodeReplayId } from "../../src/explore/replayId.ts";
import loopsForever from "../fixtures/loopsForever.ts";
import exhaustsHeap from "./fixtures/exhaustsHeap.ts";

const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync("docs/schema/pagerace-error.schema.json", "utf8")) as object);

/** The one JSON document on stdout: a valid pagerace-error of kind model, whose message is the one on stderr. */
function errorDocument(r: Ran, what: string): { kind: string; message: string } {
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.err}`);
  let doc: { format: string; version: number; error: { kind: string; message: string } };
  try {
    doc = JSON.parse(r.out);
  } catch {
    assert.fail(`${what}: stdout is not one JSON document:\n${r.out}\n${r.err}`);
  }
  assert.ok(validate(doc), `${what}: ${JSON.stringify(validate.errors)}`);
  assert.equal(doc.error.kind, "model");
  assert.ok(r.err.includes(`pagerace: ${doc.error.message.split("\n")[0]}`), `${what}: stderr says the same:\n${r.err}`);
  return doc.error;
}

const TOY = ["--catalogue", "test/fixtures/toyScenario.ts"];
const NEVER_YIELDS = /did not return to the engine within 1 s/;

test("check --json: a run whose thread never yields is a model error in the result document, as a thread that throws is; exit 2", () => {
  const r = pagerace("check", "--json", "--timeout", "1", "test/fixtures/loopsForever.ts", "examples/storeBuffering.ts");
  assert.equal(r.code, 2, r.err);
  const doc = JSON.parse(r.out) as { format: string; results: { model: string; verdict: string; error?: string }[] };
  assert.equal(doc.format, "pagerace-result");
  assert.deepEqual(
    doc.results.map((x) => [x.model, x.verdict]),
    [
      ["loops forever", "model error"],
      ["SB", "verified"],
    ],
  );
  assert.match(doc.results[0]!.error!, /^looper did not return to the engine within 1 s \(after 1 event of its own\)/);
  assert.match(r.err, /^pagerace: test\/fixtures\/loopsForever\.ts: model 'loops forever' \[sc\]: looper did not return/m);
});

test("scenario and scenarios --json: the same, naming the variant's thread", () => {
  for (const command of ["scenario", "scenarios"]) {
    const e = errorDocument(pagerace(command, "--json", "--timeout", "1", ...TOY, "902-L1"), command);
    assert.match(e.message, /^902-L1 spins: spinner did not return/);
    assert.match(e.message, NEVER_YIELDS);
  }
  // Without --json nothing goes to stdout but what the command printed itself.
  const text = pagerace("scenario", "--timeout", "1", ...TOY, "902-L1");
  assert.equal(text.code, 2);
  assert.doesNotMatch(text.out, /pagerace-error/);
});

test("replay --json: the same", () => {
  const id = encodeReplayId(loopsForever, "sc", [0]);
  const e = errorDocument(pagerace("replay", "--json", "--timeout", "1", "test/fixtures/loopsForever.ts", id), "replay");
  assert.match(e.message, NEVER_YIELDS);
});

/** The CLI in a small heap, where a thread that allocates without yielding kills its worker. */
function inSmallHeap(...args: string[]): Ran {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--max-old-space-size=64", "bin/pagerace.mjs", ...args], { encoding: "utf8", env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - started };
}

test("a worker out of heap: check --json and replay --json print the error document, exit 2", () => {
  const check = errorDocument(inSmallHeap("check", "--json", "test/cli/fixtures/exhaustsHeap.ts"), "check");
  assert.match(check.message, /^the exploration ran out of memory \(.*heap out of memory\)/);
  const id = encodeReplayId(exhaustsHeap, "sc", [0]);
  const replay = errorDocument(inSmallHeap("replay", "--json", "test/cli/fixtures/exhaustsHeap.ts", id), "replay");
  assert.match(replay.message, /^the exploration ran out of memory/);
  // The text output says the same on stderr, and leaves stdout empty.
  const text = inSmallHeap("check", "test/cli/fixtures/exhaustsHeap.ts");
  assert.equal(text.code, 2);
  assert.equal(text.out, "");
  assert.match(text.err, /pagerace: the exploration ran out of memory/);
});
