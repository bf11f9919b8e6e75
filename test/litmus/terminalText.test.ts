// Text from outside pagerace printed on a terminal: non-printing characters
// and bidi controls become visible escapes, printable text (accents, CJK,
// emoji) stays, quoted input is cut short, and escaping twice is escaping once.

import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeForTerminal, isTerminalSafe, quoteForTerminal, terminalSafeJson } from "../../src/report/terminalText.ts";

test("escape sequences, line breaks and controls print as escapes", () => {
  assert.equal(escapeForTerminal("a\x1b[2Jb"), "a\\e[2Jb");
  assert.equal(escapeForTerminal("one\ntwo\rthree\tfour\0"), "one\\ntwo\\rthree\\tfour\\0");
  assert.equal(escapeForTerminal("\x07\x7f\x85\x9b"), "\\x07\\x7f\\x85\\x9b");
  assert.equal(escapeForTerminal("line\u2028sep"), "line\\u2028sep");
});

test("every bidi embedding, override and isolate is escaped", () => {
  for (let c = 0x202a; c <= 0x202e; c++) assert.equal(escapeForTerminal(String.fromCharCode(c)), `\\u${c.toString(16)}`);
  for (let c = 0x2066; c <= 0x2069; c++) assert.equal(escapeForTerminal(String.fromCharCode(c)), `\\u${c.toString(16)}`);
});

test("printable text is left alone, a lone surrogate is not", () => {
  for (const s of ["plain", "é λ читать 中文", "😀", "𝑥", "back\\slash"]) assert.equal(escapeForTerminal(s), s);
  assert.equal(escapeForTerminal("a\ud83db"), "a\\ud83db");
  assert.equal(escapeForTerminal("\ude00"), "\\ude00");
});

test("newlines can be kept for multi-line messages, nothing else is", () => {
  assert.equal(escapeForTerminal("usage:\n  x\x1b[31m", { keepNewlines: true }), "usage:\n  x\\e[31m");
});

test("escaping is idempotent: a message escaped where it was built is unchanged where it is printed", () => {
  const once = escapeForTerminal("x\x1b\u202e\n\ud800y");
  assert.equal(escapeForTerminal(once), once);
  assert.ok(isTerminalSafe(once));
  assert.ok(!isTerminalSafe("x\u202ey"));
});

test("quoted input is cut to 40 characters with an ellipsis, never inside an escape or a character", () => {
  const huge = "v".repeat(1 << 20);
  assert.equal(quoteForTerminal(huge), `'${"v".repeat(39)}…'`);
  assert.equal(quoteForTerminal("short"), "'short'");
  assert.equal(quoteForTerminal("x".repeat(40)), `'${"x".repeat(40)}'`);
  // Cuts that would split `\e` or a surrogate pair drop the whole of it.
  const escapes = escapeForTerminal("\x1b".repeat(100), { maxChars: 10 });
  assert.match(escapes, /^(\\e)+…$/);
  assert.ok(escapes.length <= 10);
  const emoji = escapeForTerminal("😀".repeat(30), { maxChars: 10 });
  assert.ok(isTerminalSafe(emoji) && emoji.endsWith("…") && emoji.length <= 10, emoji);
});

test("terminalSafeJson escapes what JSON leaves raw and stays the same JSON value", () => {
  const value = { m: "a\u202eb\x85c\x1bd\u2028e😀" };
  const text = terminalSafeJson(value);
  assert.ok(isTerminalSafe(text.replace(/\n/g, "")));
  assert.deepEqual(JSON.parse(text), value);
});
