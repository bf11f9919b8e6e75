// A TypeScript model the cache can serve loads as a plain module, without
// module hooks (src/cli/cachedModelModule.ts): it must check exactly as the
// hooks load it. The same model is checked twice from a folder with no
// pagerace of its own, once as it is and once with a use of import.meta
// (which only the hooks serve) added after its last line: the outputs must be
// equal, errors naming the model's own lines, and only the first may have
// left a plain module in the cache.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** A helper the model imports as TypeScript with module "nodenext" writes it ("./helper.js" for helper.ts). */
const HELPER = `import { model, type Model } from "pagerace";

export function storeBuffering(name: string): Model {
  return model(name, (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("P0", function* (t) {
      yield* t.write(x, 1, "once");
      return { r0: yield* t.read(y, "once") };
    });
    m.thread("P1", function* (t) {
      yield* t.write(y, 1, "once");
      return { r1: yield* t.read(x, "once") };
    });
    m.forall("not both reads see 0", (s) => !(s.result("P0")?.r0 === 0 && s.result("P1")?.r1 === 0));
  });
}
`;

const MODEL = `import { model } from "pagerace";
import { storeBuffering } from "./helper.js";
import { LIMIT } from "./limit.ts";

// Verified under sc, a violation under tso: a replay id, and the trace that draws it.
export const sb = storeBuffering("SB");

export const throwing = model("throwing", (m) => {
  const x = m.location("x");
  m.thread("writer", function* (t) {
    yield* t.write(x, 1, "once");
  });
  m.thread("reader", function* (t) {
    const seen: number = yield* t.read(x, "once");
    if (seen === LIMIT) throw new Error(\`saw \${seen}\`);
  });
});
`;

function folderWith(model: string): string {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-plain-module-"));
  writeFileSync(join(dir, "helper.ts"), HELPER);
  writeFileSync(join(dir, "limit.ts"), "export const LIMIT: number = 1;\n");
  writeFileSync(join(dir, "model.ts"), model);
  return dir;
}

function check(dir: string, cache: string, ...args: string[]) {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [resolve("bin/pagerace.mjs"), "check", ...args, "model.ts"], { cwd: dir, encoding: "utf8", env: { ...env, XDG_CACHE_HOME: cache } });
  // Times differ from run to run: the table's last number, the totals' seconds, the document's milliseconds.
  const untimed = (s: string) =>
    s
      .replace(/ +\d+( +(OK|MISMATCH|ERROR))?$/gm, " T$1")
      .replace(/\(\d+(\.\d+)? s\)/g, "(T)")
      .replace(/"(elapsedMs|preCheckMs)": [\d.]+/g, '"$1": T');
  return { code: r.status, out: untimed(r.stdout), err: untimed(r.stderr) };
}

/** The sourceURL of every plain module in the cache folder. */
function plainModulesOf(cache: string): string[] {
  const dir = join(cache, "pagerace");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".mjs"))
    .map((f) => /\/\/# sourceURL=(.*)\n$/.exec(readFileSync(join(dir, f), "utf8"))?.[1] ?? "");
}

test("a cached TypeScript model checks as the module hooks check it", (t) => {
  const plain = folderWith(MODEL);
  const hooked = folderWith(`${MODEL}export const here = import.meta.url;\n`);
  const cache = mkdtempSync(join(tmpdir(), "pagerace-plain-cache-"));
  t.after(() => [plain, hooked, cache].forEach((d) => rmSync(d, { recursive: true, force: true })));
  for (const args of [["--model", "tso"], ["--model", "sc", "--json"]]) {
    // Twice each: a cold cache, then a warm one.
    const cold = check(plain, cache, ...args);
    const warm = check(plain, cache, ...args);
    const viaHooks = check(hooked, cache, ...args);
    assert.equal(cold.code, 2, cold.err);
    assert.deepEqual(warm, cold);
    assert.deepEqual(viaHooks, cold);
  }
  const cold = check(plain, cache, "--model", "tso");
  // The thread's error names the model's own line and column, not the cache's file.
  const lines = MODEL.split("\n");
  const line = lines.findIndex((l) => l.includes("throw new Error"));
  assert.ok(cold.err.includes(`thread reader threw: saw 1 (at model.ts:${line + 1}:${lines[line]!.indexOf("new Error") + 1})`), cold.err);
  assert.match(cold.out, /^SB +tso .*violation/m);
  const modules = plainModulesOf(cache);
  for (const file of ["model.ts", "helper.ts", "limit.ts"]) assert.ok(modules.includes(pathToFileURL(join(plain, file)).href), `${file} in ${modules.join(", ")}`);
  assert.ok(!modules.some((m) => m.startsWith(pathToFileURL(hooked).href)), "the model using import.meta went through the hooks");
});

test("an edited helper is served anew, and an import cycle is left to the hooks", (t) => {
  const dir = folderWith(MODEL);
  const cache = mkdtempSync(join(tmpdir(), "pagerace-plain-cache-"));
  t.after(() => [dir, cache].forEach((d) => rmSync(d, { recursive: true, force: true })));
  assert.match(check(dir, cache, "--model", "sc").err, /saw 1/);
  writeFileSync(join(dir, "limit.ts"), "export const LIMIT: number = 2;\n");
  const edited = check(dir, cache, "--model", "sc");
  assert.equal(edited.code, 0, edited.err);
  // limit.ts imports the model back: Node links the cycle, the hooks serve it.
  writeFileSync(join(dir, "limit.ts"), 'import "./model.ts";\nexport const LIMIT: number = 1;\n');
  const cyclic = check(dir, cache, "--model", "sc");
  assert.equal(cyclic.code, 2);
  assert.match(cyclic.err, /saw 1/);
});

test("helpers imported by absolute path or file: URL are served from the cache too", (t) => {
  const dir = folderWith(MODEL);
  const [relativeCache, absoluteCache] = [0, 1].map(() => mkdtempSync(join(tmpdir(), "pagerace-plain-cache-")));
  t.after(() => [dir, relativeCache!, absoluteCache!].forEach((d) => rmSync(d, { recursive: true, force: true })));
  const relativeRun = check(dir, relativeCache!, "--model", "tso");
  const absolute = MODEL.replace('"./helper.js"', JSON.stringify(pathToFileURL(join(dir, "helper.ts")).href)).replace('"./limit.ts"', JSON.stringify(join(dir, "limit.ts")));
  assert.notEqual(absolute, MODEL);
  writeFileSync(join(dir, "model.ts"), absolute);
  assert.deepEqual(check(dir, absoluteCache!, "--model", "tso"), relativeRun);
  // Each import rewritten to the file it names: the same plain modules as the relative imports gave.
  assert.deepEqual(plainModulesOf(absoluteCache!).sort(), plainModulesOf(relativeCache!).sort());
  assert.equal(plainModulesOf(absoluteCache!).length, 3);
});
