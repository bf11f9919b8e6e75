// The command line facing bad input: one bad file does not stop a litmus
// batch (its location is reported, the others answered, exit 2 at the end)
// on the main thread and in the --timeout worker alike; text from the input
// reaches the terminal escaped and cut short; and with --json every exit 2
// leaves a JSON document on stdout — the pagerace-error object when the
// command could not run at all.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isTerminalSafe } from "../../../src/report/terminalText.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "pagerace-cli-errors-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function pagerace(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin/pagerace.mjs"), ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function litmus(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

const withBody = (name: string, body: string, extra = ""): string => `C ${name}\n${extra}{}\nP0(int *x) {\n int r0;\n${body}\n}\nexists (0:r0=0)\n`;
const A = litmus("a.litmus", withBody("a", "r0 = READ_ONCE(*x);"));
const C = litmus("c.litmus", withBody("c", "WRITE_ONCE(*x, 1); r0 = READ_ONCE(*x);"));
// 3,000 parentheses: a stack overflow on the main thread before, accepted by the bigger-stacked worker.
const DEEP = litmus("deep.litmus", withBody("deep", `r0 = ${"(".repeat(3000)}1${")".repeat(3000)};`));
const DEEP_AT = "deep.litmus:5:262: nesting too deep (more than 256 levels of parentheses, blocks, operators or calls)";

test("a batch with a too-deep file answers the others and reports it at its position, exit 2", () => {
  const r = pagerace("litmus", A, DEEP, C);
  assert.equal(r.code, 2);
  assert.deepEqual(r.out.split("\n").filter((l) => l.startsWith("Test ")), ["Test a Allowed", "Test c Allowed"]);
  assert.equal(r.err.trim(), DEEP_AT);
});

test("a batch under a time limit gives the same answer and the same message", () => {
  const plain = pagerace("litmus", A, DEEP, C);
  const timed = pagerace("litmus", "--timeout", "60", A, DEEP, C);
  assert.equal(timed.code, 2);
  assert.equal(timed.err, plain.err);
  assert.equal(timed.out.replace(/^Time .*$/gm, ""), plain.out.replace(/^Time .*$/gm, ""));
});

test("--json: the bad file's entry carries its status, message, line and column", () => {
  const r = pagerace("litmus", "--json", A, DEEP, C);
  assert.equal(r.code, 2);
  const doc = JSON.parse(r.out) as { results: Array<Record<string, unknown>> };
  assert.deepEqual(
    doc.results.map((x) => x.status),
    ["run", "unsupported", "run"],
  );
  assert.deepEqual(doc.results[1], { file: DEEP, status: "unsupported", message: DEEP_AT, line: 5, column: 262 });
});

test("escape sequences in a test's Hash line and in a lexer error print escaped", () => {
  const hashed = litmus("hash.litmus", withBody("hash", "r0 = READ_ONCE(*x);", "Hash=ab\x1b[2J\x1b[31mcd\n"));
  const ok = pagerace("litmus", hashed);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^Hash=ab\\e\[2J\\e\[31mcd$/m);
  assert.ok(isTerminalSafe(ok.out.replace(/\n/g, "")));
  const lexed = litmus("lex.litmus", withBody("lex", "r0 = \x1b[31m\u202e;"));
  const bad = pagerace("litmus", lexed);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, "lex.litmus:5:6: expected C code, found '\\e'\n");
});

test("a megabyte identifier is quoted as its first 39 characters and an ellipsis", () => {
  const huge = litmus("huge.litmus", withBody("huge", `r0 = ${"v".repeat(1 << 20)}(1);`));
  const r = pagerace("litmus", huge);
  assert.equal(r.code, 2);
  assert.equal(r.err, `huge.litmus:5:6: unsupported: ${"v".repeat(39)}…\n`);
});

test("a file name with a bidi override and a newline is printed escaped", () => {
  const r = pagerace("litmus", "evil\u202e\nname.litmus");
  assert.equal(r.code, 2);
  assert.equal(r.err, "evil\\u202e\\nname.litmus: no such file\n");
});

interface ErrorDoc {
  readonly format: string;
  readonly version: number;
  readonly error: { readonly kind: string; readonly message: string };
}

function errorDoc(out: string): ErrorDoc {
  const doc = JSON.parse(out) as ErrorDoc;
  assert.equal(doc.format, "pagerace-error");
  assert.equal(doc.version, 1);
  return doc;
}

test("--json with a usage error prints the error object on stdout for every command", () => {
  const cases: Array<[string[], RegExp]> = [
    [["check", "--json", "no-such-model.ts"], /no-such-model\.ts: no such file or folder/],
    [["check", "--json", "--bogus", "m.ts"], /^unknown option --bogus/],
    [["replay", "--json"], /^replay needs a model file and a replay id$/],
    [["scenario", "--json", "no-such-scenario"], /^unknown scenario 'no-such-scenario'/],
    [["scenarios", "--json", "--bogus"], /^unknown option --bogus/],
    [["litmus", "--json", "--bogus", A], /^unknown option --bogus$/],
    [["litmus", "--json"], /^litmus needs at least one test file$/],
    [["frobnicate", "--json"], /^unknown command 'frobnicate'$/],
  ];
  for (const [args, message] of cases) {
    const r = pagerace(...args);
    assert.equal(r.code, 2, args.join(" "));
    const doc = errorDoc(r.out);
    assert.equal(doc.error.kind, "usage", args.join(" "));
    assert.match(doc.error.message, message, args.join(" "));
    // stderr still says it, for a person.
    assert.match(r.err, /^pagerace: /);
  }
});

test("--json with a model that throws while loading: the error object, escaped on stderr", () => {
  writeFileSync(path.join(dir, "throws.mjs"), 'throw new Error("boom \\x1b[31m red");\n');
  const r = pagerace("check", "--json", "throws.mjs");
  assert.equal(r.code, 2);
  assert.match(errorDoc(r.out).error.message, /boom \u001b\[31m red/);
  assert.ok(isTerminalSafe(r.err.replace(/\n/g, "")), r.err);
  assert.match(r.err, /boom \\e\[31m red/);
});

test("without --json nothing is printed on stdout for an exit 2", () => {
  const r = pagerace("check", "no-such-model.ts");
  assert.equal(r.code, 2);
  assert.equal(r.out, "");
});
