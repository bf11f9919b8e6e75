// A model's syntax error is reported at a position even when the model's
// project has a TypeScript compiler whose API the position finder cannot
// use (typescript 7's native compiler has no ScriptTarget, for one): it
// falls back to where the type stripper stopped, as without a compiler.
// The file is named as the other model errors name it, relative to the
// working folder.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve("bin/pagerace.mjs");
const BROKEN = 'import { model } from "pagerace";\nexport default model("x", (m) => {\n  const x = m.location("x");\n  let y = ;\n});\n';

function checkIn(dir: string, ...args: string[]): { code: number | null; err: string } {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [BIN, "check", ...args], { cwd: dir, encoding: "utf8", timeout: 120_000, env });
  return { code: r.status, err: r.stderr };
}

/** A project folder holding `broken.ts` and, when given, a stand-in `typescript` package with the given main module. */
function project(typescriptMain: string | undefined, run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-ts7-"));
  try {
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "broken.ts"), BROKEN);
    if (typescriptMain !== undefined) {
      const pkg = join(dir, "node_modules", "typescript");
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, "package.json"), '{ "name": "typescript", "version": "7.0.0", "main": "index.cjs" }\n');
      writeFileSync(join(pkg, "index.cjs"), typescriptMain);
    }
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STRIPPER_NOTE = /\(where the TypeScript stripper gave up: the mistake is here or further on/;

test("a compiler without ScriptTarget (typescript 7's API): the stripper's position, no crash", () => {
  // createSourceFile exists but the enums it takes do not, as in typescript 7.
  project("module.exports = { version: '7.0.0', createSourceFile() { throw new Error('not this API'); } };\n", (dir) => {
    const r = checkIn(dir, "broken.ts");
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.err, /Cannot read properties|model error/);
    assert.match(r.err, /^pagerace: broken\.ts:\d+:\d+: /);
    assert.match(r.err, STRIPPER_NOTE);
    // Installing typescript would not help: the note says which one would.
    assert.match(r.err, /the typescript installed beside the model has no JavaScript API pagerace can ask \(typescript 5 has\)/);
  });
});

test("a compiler with the functions but a parser that throws: the stripper's position", () => {
  const api = [
    "module.exports = {",
    "  ScriptTarget: { Latest: 99 }, ScriptKind: { TS: 3 },",
    "  flattenDiagnosticMessageText: (m) => String(m),",
    "  createSourceFile() { throw new TypeError('native compiler: no in-process parser'); },",
    "};",
  ].join("\n");
  project(api, (dir) => {
    const r = checkIn(dir, "broken.ts");
    assert.equal(r.code, 2);
    assert.match(r.err, /^pagerace: broken\.ts:\d+:\d+: /);
    assert.match(r.err, STRIPPER_NOTE);
  });
});

test("a compiler that offers the API is used, and its position is named relative to the working folder", () => {
  // A stand-in with the API: its one diagnostic is at the source's `;` after `let y =`.
  const api = [
    "module.exports = {",
    "  ScriptTarget: { Latest: 99 }, ScriptKind: { TS: 3 },",
    "  flattenDiagnosticMessageText: (m) => String(m),",
    "  createSourceFile(name, text) {",
    "    const start = text.indexOf('= ;') + 2;",
    "    return {",
    "      parseDiagnostics: [{ start, messageText: 'Expression expected.' }],",
    "      getLineAndCharacterOfPosition(p) { const before = text.slice(0, p).split('\\n'); return { line: before.length - 1, character: before.at(-1).length }; },",
    "    };",
    "  },",
    "};",
  ].join("\n");
  project(api, (dir) => {
    const r = checkIn(dir, "broken.ts");
    assert.equal(r.code, 2);
    assert.equal(r.err.trimEnd(), "pagerace: broken.ts:4:11: Expression expected.");
  });
});

test("without a compiler, the stripper's position names the file relative to the working folder", () => {
  project(undefined, (dir) => {
    const r = checkIn(dir, "broken.ts");
    assert.equal(r.code, 2);
    assert.match(r.err, /^pagerace: broken\.ts:\d+:\d+: /);
    assert.match(r.err, STRIPPER_NOTE);
    assert.match(r.err, /with typescript installed beside the model, pagerace points at it\)/);
  });
});

test("a JavaScript model's syntax error names the file relative to the working folder", () => {
  project(undefined, (dir) => {
    writeFileSync(join(dir, "broken.mjs"), BROKEN);
    const r = checkIn(dir, "broken.mjs");
    assert.equal(r.code, 2);
    assert.equal(r.err.trimEnd(), "pagerace: broken.mjs:4:11: Unexpected token ';'");
  });
});
