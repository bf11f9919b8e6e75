// A model file loaded by the installed command line imports its own copy of
// pagerace (its node_modules), not the bundle the command line runs. What it
// throws and the values it builds must still be recognised by the engine.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { build } from "esbuild";
import { explore, Loc, ModelError } from "../../src/index.ts";
import { isLoc } from "../../src/program/value.ts";
import { isAssertionFailure } from "../../src/program/threadContext.ts";

type Engine = typeof import("../../src/index.ts");
type Kernel = typeof import("../../src/kernel/index.ts");
let copy: { engine: Engine; kernel: Kernel };

before(async () => {
  const src = fileURLToPath(new URL("../../src/", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "pagerace-copy-"));
  const entry = join(dir, "entry.ts");
  writeFileSync(entry, `export * as engine from ${JSON.stringify(join(src, "index.ts"))};\nexport * as kernel from ${JSON.stringify(join(src, "kernel/index.ts"))};\n`);
  const outfile = join(dir, "copy.mjs");
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile, logLevel: "error" });
  copy = await import(pathToFileURL(outfile).href);
});

test("the copy is a copy: its classes are other objects than the engine's", () => {
  assert.notEqual(copy.engine.ModelError, ModelError);
  assert.notEqual(copy.engine.Loc, Loc);
});

test("a double unlock through the model's copy of the kernel layer is a violation with its trace, not a model error", () => {
  const md = copy.engine.model("double unlock", (m) => {
    const lock = m.location("lock");
    m.thread("T", function* (t) {
      yield* copy.kernel.spinLock(t, lock);
      t.step("release twice");
      yield* copy.kernel.spinUnlock(t, lock);
      yield* copy.kernel.spinUnlock(t, lock);
    });
  });
  const r = explore(md);
  assert.equal(r.assertionFailures, 1);
  const v = r.violations[0]!;
  assert.equal(v.outcome.violation!.kind, "assertion");
  assert.match(v.outcome.violation!.message, /assertion failed in T: misuse: releasing lock \(spinlock\), which T does not hold \(step release twice\)/);
  assert.equal(v.graph.threads[0]!.length, 3, "the trace has the lock (a read and a write) and the first unlock");
  assert.ok(v.path !== undefined, "a replayable path");
});

test("t.assert from a copy's misuse() and the copy's Loc and ModelError are recognised", () => {
  const md = copy.engine.model("own misuse", (m) => {
    const x = m.location("x");
    m.thread("T", function* (t) {
      const v = yield* t.read(x);
      if (v === 0) copy.kernel.misuse(t, "x was never set");
      return { where: x };
    });
  });
  const r = explore(md);
  assert.match(r.violations[0]!.outcome.violation!.message, /misuse: x was never set/);

  const loc = new copy.engine.Loc(0, "y");
  assert.ok(isLoc(loc));
  assert.ok(loc instanceof Loc);
  assert.ok(!isLoc({ id: 0, name: "y" }));
  const e = new copy.engine.ModelError("bad model");
  assert.ok(e instanceof ModelError);
  assert.ok(!(new Error("x") instanceof ModelError));
  assert.ok(!isAssertionFailure(e));
});

test("a thread returning a Loc made by the copy returns a value", () => {
  const md = copy.engine.model("returns a copy's Loc", (m) => {
    const x = m.location("x");
    m.thread("T", function* (t) {
      yield* t.write(x, 1);
      return { p: x };
    });
  });
  const r = explore(md, { onExecution: (_g, o) => assert.equal(o.final.result("T")!.p, md.locations[0]) });
  assert.equal(r.executions, 1);
});

test("a ModelError thrown in thread code by the copy stays a model error", () => {
  const md = copy.engine.model("copy model error", (m) => {
    m.location("x");
    m.thread("T", function* () {
      throw new copy.engine.ModelError("the model is wrong");
    });
  });
  assert.throws(() => explore(md), (e: unknown) => e instanceof ModelError && e.message === "the model is wrong");
});
