// A litmus test whose exploration recurses past the main thread's stack
// (the optimal explorer recurses once per choice along a path) is run again
// in a worker thread with a far larger stack, within what is left of its
// time limit, and answers as herd7 would, instead of NOT VERIFIED for want
// of stack.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dir = mkdtempSync(path.join(tmpdir(), "pagerace-deep-stack-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Two processes of 1,500 writes each (one execution, a path of 3,000 events), then `extra`'s processes. */
function deepPath(extra = ""): string {
  const writes = (p: number) => Array.from({ length: 1500 }, (_, i) => `WRITE_ONCE(*x${p}, ${(i % 7) + 1});`).join("\n  ");
  return `C deep-path\n{}\nP0(int *x0) {\n  ${writes(0)}\n}\nP1(int *x1) {\n  ${writes(1)}\n}\n${extra}exists (x0=1)\n`;
}

function litmus(file: string, ...args: string[]) {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", "litmus", ...args, file], { encoding: "utf8", env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("a path deeper than the main thread's stack is explored on a larger one: herd's answer, exit 0", () => {
  const file = path.join(dir, "deep.litmus");
  writeFileSync(file, deepPath());
  const r = litmus(file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Observation deep-path Never 0 1$/m);
  assert.doesNotMatch(r.out + r.err, /NOT VERIFIED|call stack/);
});

test("the run on the larger stack keeps the test's time limit, and says it as given", () => {
  // Behind the deep path, four processes writing one location four times each: tens of millions of executions.
  const many = readFileSync("test/fixtures/manyWrites.litmus", "utf8");
  const processes = many.slice(many.indexOf("P0("), many.indexOf("exists")).replace(/P(\d)\(int \*x\)/g, (_, p: string) => `P${Number(p) + 2}(int *x0)`).replace(/\*x\b/g, "*x0");
  const file = path.join(dir, "deepAndLong.litmus");
  writeFileSync(file, deepPath(processes));
  const started = performance.now();
  const r = litmus(file, "--time-limit", "3");
  const wallMs = performance.now() - started;
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /NOT VERIFIED \(incomplete: --time-limit 3 s reached\)/);
  const seconds = Number(/^Time deep-path ([\d.]+)$/m.exec(r.out)?.[1]);
  assert.ok(seconds >= 3 && seconds < 6, `Time ${seconds}`);
  assert.ok(wallMs < 20_000, `${wallMs} ms`);
});
