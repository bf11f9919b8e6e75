// Error messages: malformed input gives `FILE:LINE:COL: expected X, found Y`
// (LitmusSyntaxError), a construct outside the dialect gives
// `FILE:LINE:COL: unsupported: NAME` (LitmusUnsupportedError).

import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLitmus, LitmusSyntaxError, LitmusUnsupportedError, parseLitmus } from "../../src/litmus/index.ts";

function syntaxError(text: string, message: string): void {
  assert.throws(
    () => compileLitmus(parseLitmus(text, "bad.litmus")),
    (e: unknown) => {
      assert.ok(e instanceof LitmusSyntaxError, `not a LitmusSyntaxError: ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    },
  );
}

function unsupported(text: string, message: string): void {
  assert.throws(
    () => compileLitmus(parseLitmus(text, "bad.litmus")),
    (e: unknown) => {
      assert.ok(e instanceof LitmusUnsupportedError, `not a LitmusUnsupportedError: ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    },
  );
}

/** A one-process test whose P0 body is `code` (line 4 is the first body line, column 1 its first character). */
function withBody(code: string, final = "exists (x=1)"): string {
  return `C t\n{}\nP0(int *x, int *y, spinlock_t *s)\n{\n${code}\n}\n${final}\n`;
}

test("missing semicolon", () => {
  syntaxError(withBody("WRITE_ONCE(*x, 1)\nWRITE_ONCE(*y, 1);"), "bad.litmus:6:1: expected ';', '=' or an operator, found 'WRITE_ONCE'");
});

test("unbalanced parenthesis in an expression", () => {
  syntaxError(withBody("r0 = (READ_ONCE(*x) + 1;"), "bad.litmus:5:24: expected ')' or an operator, found ';'");
});

test("a ')' left out of a statement is said where it is missing, not in the final condition", () => {
  // The '}' after it closes the block and the '(' both, so that the code still ends where the final condition begins.
  syntaxError(withBody("if (READ_ONCE(*y)) {\nWRITE_ONCE(*x, 1;\n}", "exists (0:r0=0 \\/ x=1)"), "bad.litmus:6:17: expected ',' or ')', found ';'");
  syntaxError(withBody("WRITE_ONCE(*x, 1);\n}"), "bad.litmus:7:1: expected a process such as 'P0(int *x)' or the final condition, found '}'");
});

test("missing closing brace runs into the end of input", () => {
  syntaxError("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n", "bad.litmus:6:1: expected '}' closing the block opened at line 4, found end of input");
});

test("no process", () => {
  syntaxError("C t\n{ x=1; }\nexists (x=1)\n", "bad.litmus:3:1: expected a process such as 'P0(int *x)', found 'exists'");
});

test("garbage where a process should start", () => {
  syntaxError("C t\n{}\nint main(void) {}\nexists (x=1)\n", "bad.litmus:3:1: expected a process such as 'P0(int *x)' or the final condition, found 'int'");
});

test("parameters must be pointers", () => {
  syntaxError("C t\n{}\nP0(int x) {}\nexists (x=1)\n", "bad.litmus:3:8: expected '*' (process parameters are pointers to shared locations), found 'x'");
});

test("a process defined twice", () => {
  syntaxError("C t\n{}\nP0(int *x) {}\nP0(int *x) {}\nexists (x=1)\n", "bad.litmus:4:1: expected a process other than P0 (defined at line 3), found P0");
});

test("wrong number of arguments to a primitive", () => {
  syntaxError(withBody("WRITE_ONCE(*x);"), "bad.litmus:5:14: expected 2 arguments to WRITE_ONCE, found 1 argument");
  syntaxError(withBody("r0 = READ_ONCE(*x, *y);"), "bad.litmus:5:20: expected 1 argument to READ_ONCE, found 2 arguments");
});

test("a primitive without a value used as one", () => {
  syntaxError(withBody("r0 = spin_lock(s);"), "bad.litmus:5:6: expected an expression with a value, found 'spin_lock(...)', which returns nothing");
});

test("assigning to something that is not a location", () => {
  syntaxError(withBody("1 = r0;"), "bad.litmus:5:1: expected an assignable location (a variable or '*pointer'), found '1'");
});

test("initial state: missing separator, bad value, unclosed", () => {
  syntaxError("C t\n{ int x = 1 int y; }\nP0(int *x) {}\nexists (x=1)\n", "bad.litmus:2:13: expected ';', found 'int'");
  syntaxError("C t\n{ int x = ; }\nP0(int *x) {}\nexists (x=1)\n", "bad.litmus:2:11: expected an initial value, found ';'");
  syntaxError("C t\n{ int x = 1;\n", "bad.litmus:3:1: expected '}' closing the initial state, found end of input");
  syntaxError("C t\n", "bad.litmus:2:1: expected '{' opening the initial state, found end of input");
  syntaxError("C t\n{ x=1, y=2; }\nP0(int *x) {}\nexists (x=1)\n", "bad.litmus:2:6: expected ';', found ','");
});

test("initial state: a location initialised twice", () => {
  syntaxError("C t\n{ x=1;\n x=2; }\nP0(int *x) {}\nexists (x=1)\n", "bad.litmus:3:2: expected one initialisation of 'x' (already initialised at line 2), found 'x' again");
});

test("condition: bad token, missing operand, trailing junk, unknown location and process", () => {
  syntaxError(withBody("", "exists (x=1 /\\ )"), "bad.litmus:7:16: expected an atom such as '0:r1=1' or 'x=1', found ')'");
  syntaxError(withBody("", "exists (x=1 /\\ y 1)"), "bad.litmus:7:18: expected '=' or '!=', found '1'");
  syntaxError(withBody("", "exists (x=1) x"), "bad.litmus:7:14: expected end of input, found 'x'");
  syntaxError(withBody("", "exists (x=1"), "bad.litmus:8:1: expected ')' or a connective, found end of input");
  syntaxError(withBody("", "exists (z=1)"), "bad.litmus:7:9: expected a shared location of the test, found 'z'");
  syntaxError(withBody("", "exists (3:r0=1)"), "bad.litmus:7:9: expected a register of one of the test's processes, found '3:r0'");
  syntaxError(withBody("", "exists (x=1) #"), "bad.litmus:7:14: expected a state or condition token, found '#'");
});

test("unterminated comments", () => {
  syntaxError("C t\n(* never closed\n{}", "bad.litmus:2:1: expected '*)' closing this comment, found end of input");
  syntaxError(withBody("/* never closed"), "bad.litmus:5:1: expected '*/' closing this comment, found end of input");
});

test("unknown primitive", () => {
  unsupported(withBody("r0 = smp_cond_load_acquire(x, 1);"), "bad.litmus:5:6: unsupported: smp_cond_load_acquire");
  unsupported(withBody("set_bit(1, x);"), "bad.litmus:5:1: unsupported: set_bit");
  unsupported(withBody("if (r0) kfree(x);"), "bad.litmus:5:9: unsupported: kfree");
});

test("loops and other statements outside the dialect", () => {
  unsupported(withBody("while (READ_ONCE(*x) == 0) ;"), "bad.litmus:5:1: unsupported: 'while' statement");
  unsupported(withBody("for (;;) ;"), "bad.litmus:5:1: unsupported: 'for' statement");
  unsupported(withBody("return;"), "bad.litmus:5:1: unsupported: 'return' statement");
  unsupported(withBody("r0 += 1;"), "bad.litmus:5:4: unsupported: '+='");
  unsupported(withBody("r0++;"), "bad.litmus:5:3: unsupported: '++'");
  unsupported(withBody("r0 = r1 ? 1 : 2;"), "bad.litmus:5:9: unsupported: '?:'");
  unsupported(withBody("int a[2];"), "bad.litmus:5:6: unsupported: array");
  unsupported(withBody("r0 = x->next;"), "bad.litmus:5:7: unsupported: '->'");
});

test("primitive arguments that are registers, not memory", () => {
  unsupported(withBody("int r0 = 0;\nr1 = READ_ONCE(r0);"), "bad.litmus:6:16: unsupported: READ_ONCE of the register 'r0' (write READ_ONCE(*r0) to access what it points to)");
  unsupported(withBody("int r0 = 0;\nr1 = &r0;"), "bad.litmus:6:6: unsupported: taking the address of 'r0'");
});

test("other architectures and herd features outside the dialect", () => {
  unsupported("AArch64 t\n{}\n", "bad.litmus:1:1: unsupported: architecture AArch64");
  unsupported("C t\n{ int a[2]; }\nP0(int *x) {}\nexists (x=1)\n", "bad.litmus:2:8: unsupported: array in the initial state");
  unsupported(withBody("", "exists (x=1) with tso: exists"), "bad.litmus:7:14: unsupported: 'with' clauses");
  unsupported(withBody("", "observed x=1;"), "bad.litmus:7:1: unsupported: 'observed' conditions");
});

test("error classes carry their parts", () => {
  try {
    parseLitmus(withBody("WRITE_ONCE(*x, 1)"), "f.litmus");
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof LitmusSyntaxError);
    assert.equal(e.fileName, "f.litmus");
    assert.deepEqual([e.pos.line, e.pos.col], [6, 1]);
    assert.equal(e.expected, "';', '=' or an operator");
    assert.equal(e.found, "'}'");
  }
});
