// herd7's command line as `pagerace litmus` reads it: which memory model a
// configuration or cat file selects, ignored herd options, list files and
// folders of tests.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHerdInvocation } from "../../../src/litmus/run/herdInvocation.ts";

const dir = mkdtempSync(path.join(tmpdir(), "pagerace-herd-args-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the memory model: lkmm by default, --model by name, -model by cat file", () => {
  assert.equal(parseHerdInvocation(["a.litmus"]).model, "lkmm");
  assert.equal(parseHerdInvocation(["--model", "tso", "a.litmus"]).model, "tso");
  assert.equal(parseHerdInvocation(["-model", "/some/where/x86tso.cat", "a.litmus"]).model, "tso");
  assert.equal(parseHerdInvocation(["-model", "linux-kernel.cat", "a.litmus"]).model, "lkmm");
  assert.throws(() => parseHerdInvocation(["-model", "aarch64.cat", "a.litmus"]), /unsupported: model aarch64\.cat/);
});

test("-conf: the configuration's model line, or its name when it cannot be read", () => {
  const cfg = path.join(dir, "my.cfg");
  writeFileSync(cfg, "macros linux-kernel.def\nbell linux-kernel.bell\nmodel linux-kernel.cat\n");
  assert.equal(parseHerdInvocation(["-conf", cfg, "a.litmus"]).model, "lkmm");
  assert.equal(parseHerdInvocation(["-conf", "linux-kernel.cfg", "a.litmus"]).model, "lkmm", "herd would look it up in its library");
  const sc = path.join(dir, "sc.cfg");
  writeFileSync(sc, "model sc.cat\n");
  assert.equal(parseHerdInvocation(["-conf", sc, "a.litmus"]).model, "sc");
  const other = path.join(dir, "other.cfg");
  writeFileSync(other, "model ppc.cat\n");
  assert.throws(() => parseHerdInvocation(["-conf", other, "a.litmus"]), /unsupported: model ppc\.cat/);
});

test("herd options that change nothing here are kept for a note; others are errors", () => {
  const inv = parseHerdInvocation(["-conf", "linux-kernel.cfg", "-o", "out", "-gv", "-speedcheck", "fast", "-q", "a.litmus"]);
  assert.deepEqual(inv.ignored, ["-o out", "-gv", "-speedcheck fast"]);
  assert.equal(inv.quiet, true);
  assert.deepEqual(inv.files, ["a.litmus"]);
  assert.throws(() => parseHerdInvocation(["-frobnicate", "a.litmus"]), /unknown option -frobnicate/);
  assert.throws(() => parseHerdInvocation(["-timeout", "soon", "a.litmus"]), /-timeout expects a number of seconds \(0 for no limit\), got 'soon'/);
  assert.throws(() => parseHerdInvocation(["--time-limit", "-1", "a.litmus"]), /--time-limit expects a number of seconds/);
  assert.equal(parseHerdInvocation(["-timeout", "2.5", "a.litmus"]).timeLimitSeconds, 2.5);
  assert.equal(parseHerdInvocation(["--time-limit=0", "a.litmus"]).timeLimitSeconds, 0, "0: no limit");
  assert.equal(parseHerdInvocation(["a.litmus"]).timeLimitSeconds, 60, "the default");
});

test("files: @lists (one test per line, # comments) and folders (their .litmus files, sorted)", () => {
  const tests = path.join(dir, "tests");
  mkdirSync(path.join(tests, "sub"), { recursive: true });
  for (const f of ["b.litmus", "a.litmus", "notes.txt", "sub/c.litmus"]) writeFileSync(path.join(tests, f), "");
  writeFileSync(path.join(dir, "@all"), "# the tests\ntests/b.litmus\n\ntests/sub/c.litmus\n");
  assert.deepEqual(parseHerdInvocation([path.join(dir, "@all")]).files, [path.join(tests, "b.litmus"), path.join(tests, "sub/c.litmus")]);
  assert.deepEqual(parseHerdInvocation([tests]).files, ["a.litmus", "b.litmus", "sub/c.litmus"].map((f) => path.join(tests, f)));
});

test("files: @FILE also names the list FILE, as a compiler's response file does; a missing list names both places", () => {
  const tests = path.join(dir, "listed");
  mkdirSync(tests, { recursive: true });
  writeFileSync(path.join(tests, "a.litmus"), "");
  writeFileSync(path.join(dir, "mine.txt"), "listed/a.litmus\n");
  const expected = [path.join(tests, "a.litmus")];
  assert.deepEqual(parseHerdInvocation([`@${path.join(dir, "mine.txt")}`]).files, expected);
  assert.deepEqual(parseHerdInvocation([path.join(dir, "@mine.txt")]).files, expected);
  assert.throws(() => parseHerdInvocation([`@${path.join(dir, "none.txt")}`]), /cannot read the list of tests @.*none\.txt: neither .* nor .*none\.txt is a file/);
});
