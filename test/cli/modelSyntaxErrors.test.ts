// A model file with a syntax error is reported at the mistake, as
// `file:line:column: message`: JavaScript by Node's own syntax check, and
// TypeScript by the TypeScript compiler where the model's project has one,
// else at the point where the type stripper gave up, said as such.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pagerace } from "./pagerace.ts";

const BROKEN_BODY = 'export default model("x", (m) => {\n  const x = m.location("x");\n  let y = ;\n});\n';

function inTemporaryFolder(name: string, text: string, run: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-syntax-"));
  try {
    const file = join(dir, name);
    writeFileSync(file, text);
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a JavaScript model's syntax error: its line and column, exit 2", () => {
  inTemporaryFolder("broken.mjs", `import { model } from "pagerace";\n${BROKEN_BODY}`, (file) => {
    const r = pagerace("check", file);
    assert.equal(r.code, 2);
    assert.equal(r.err.trimEnd(), `pagerace: ${file}:4:11: Unexpected token ';'`);
  });
});

test("a TypeScript model's syntax error without a TypeScript compiler at hand: where the stripper stopped, said so", () => {
  inTemporaryFolder("broken.ts", `import { model } from "pagerace";\n${BROKEN_BODY}`, (file) => {
    const r = pagerace("check", file);
    assert.equal(r.code, 2);
    assert.match(r.err, /broken\.ts:\d+:\d+: .*\(where the TypeScript stripper gave up: the mistake is here or further on/);
  });
});

test("a TypeScript model's syntax error where the project has TypeScript: its exact line and column", () => {
  // The checkout has the compiler; a folder inside it resolves it as a user's project would.
  const dir = mkdtempSync(join(process.cwd(), "test", "cli", ".syntax-"));
  try {
    const file = join(dir, "broken.ts");
    writeFileSync(file, `import { model } from "pagerace";\n${BROKEN_BODY}`);
    const r = pagerace("check", file);
    assert.equal(r.code, 2);
    assert.match(r.err, /broken\.ts:4:11: Expression expected\.$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an error the model's own code throws while the model is built names its line, TypeScript and JavaScript alike", () => {
  const body = 'export default model("twice", (m) => {\n  m.location("x");\n  m.location("x");\n});\n';
  for (const name of ["twice.ts", "twice.mjs"])
    inTemporaryFolder(name, `import { model } from "pagerace";\n${body}`, (file) => {
      const r = pagerace("check", file);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`cannot be loaded: model twice: location 'x' is declared twice \\(at \\S*${name.replace(".", "\\.")}:4:5\\)`), r.err);
    });
});

test("a location declared from a thread's body says where declarations belong, and names the line", () => {
  const body = `export default model("late", (m) => {
  m.thread("P0", function* (t) {
    const x = m.location("x");
    yield* t.write(x, 1);
  });
});
`;
  inTemporaryFolder("late.ts", `import { model } from "pagerace";\n${body}`, (file) => {
    const r = pagerace("check", file);
    assert.equal(r.code, 2);
    assert.match(r.err, /model late: m\.location\(\) after the model was built \(from a thread's body or a check\?\): declare locations, threads and checks in the function given to model\(\)/, r.err);
    assert.match(r.err, /late\.ts:4:/, r.err);
  });
});
