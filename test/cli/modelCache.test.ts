// The on-disk cache of transformed TypeScript models (src/cli/modelCache.ts):
// an edited model is transformed again, a damaged entry is never run, and
// the command line checks a model the same with the cache cold, warm or
// corrupted.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ModelCache } from "../../src/cli/modelCache.ts";

function counting() {
  const calls: string[] = [];
  return { calls, transform: (s: string) => (calls.push(s), `/* js */ ${s}`) };
}

test("a model is transformed once; a changed model is transformed again", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cache = new ModelCache(dir, "options");
  const { calls, transform } = counting();
  assert.equal(await cache.get("let a: number = 1;", transform), "/* js */ let a: number = 1;");
  assert.equal(await cache.get("let a: number = 1;", transform), "/* js */ let a: number = 1;");
  assert.deepEqual(calls, ["let a: number = 1;"]);
  assert.equal(await cache.get("let a: number = 2;", transform), "/* js */ let a: number = 2;");
  assert.equal(calls.length, 2);
  // Other transform options: other entries.
  await new ModelCache(dir, "other options").get("let a: number = 1;", transform);
  assert.equal(calls.length, 3);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith(".tmp")).length, 0, "no temporary files left behind");
});

test("a corrupted or truncated entry is ignored and rewritten", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cache = new ModelCache(dir, "options");
  const { calls, transform } = counting();
  await cache.get("source", transform);
  const [entry] = readdirSync(dir);
  const whole = readFileSync(join(dir, entry!), "utf8");
  for (const damaged of ["throw new Error('corrupted');" + whole.slice(whole.indexOf("\n//#")), whole.slice(0, 5), ""]) {
    writeFileSync(join(dir, entry!), damaged);
    assert.equal(await cache.get("source", transform), "/* js */ source");
    assert.equal(readFileSync(join(dir, entry!), "utf8"), whole, "rewritten whole");
  }
  assert.equal(calls.length, 4);
});

test("an unwritable cache folder only costs the transform", async () => {
  const cache = new ModelCache("/dev/null/pagerace", "options");
  const { calls, transform } = counting();
  assert.equal(await cache.get("source", transform), "/* js */ source");
  assert.equal(await cache.get("source", transform), "/* js */ source");
  assert.equal(calls.length, 2);
});

test("check runs an edited TypeScript model's new code, and ignores a corrupted entry", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-cache-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cacheHome = join(dir, "cache");
  const model = join(dir, "model.ts");
  const check = () =>
    spawnSync(process.execPath, [resolve("bin/pagerace.mjs"), "check", model], {
      encoding: "utf8",
      env: { ...process.env, PAGERACE_FROM_SOURCE: "", XDG_CACHE_HOME: cacheHome },
    });
  const source = readFileSync("examples/storeBuffering.ts", "utf8").replace("../src/index.ts", resolve("src/index.ts"));
  writeFileSync(model, source);
  let r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^SB /m);
  // The edit renames the model: the run must show the new name, not the cached old one.
  writeFileSync(model, source.replace('model("SB"', 'model("SB2"'));
  r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^SB2 /m);
  const entries = readdirSync(join(cacheHome, "pagerace"));
  assert.ok(entries.length >= 2, `one entry per version of the model: ${entries.join(", ")}`);
  for (const e of entries) writeFileSync(join(cacheHome, "pagerace", e), "export default 'corrupted';\n");
  r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^SB2 /m);
});
