// The errors the litmus front end throws. Every message starts with
// `FILE:LINE:COL:` so editors and test logs can jump to the culprit. Input
// quoted in a message goes through quoteForTerminal (escaped, cut short):
// messages are printed, and input may hold escape sequences or be huge.

import type { SourcePos } from "./source.ts";
import { AssertionFailure } from "../program/threadContext.ts";
import { escapeForTerminal } from "../report/terminalText.ts";

export class LitmusError extends Error {
  constructor(
    readonly fileName: string,
    readonly pos: SourcePos,
    readonly detail: string,
  ) {
    super(`${escapeForTerminal(fileName)}:${pos.line}:${pos.col}: ${detail}`);
    this.name = "LitmusError";
  }
}

/** Malformed input: `FILE:LINE:COL: expected X, found Y`. */
export class LitmusSyntaxError extends LitmusError {
  constructor(
    fileName: string,
    pos: SourcePos,
    readonly expected: string,
    readonly found: string,
  ) {
    super(fileName, pos, `expected ${expected}, found ${found}`);
    this.name = "LitmusSyntaxError";
  }
}

/** Well-formed input using something pagerace does not model: `FILE:LINE:COL: unsupported: NAME`. */
export class LitmusUnsupportedError extends LitmusError {
  constructor(
    fileName: string,
    pos: SourcePos,
    readonly feature: string,
  ) {
    super(fileName, pos, `unsupported: ${feature}`);
    this.name = "LitmusUnsupportedError";
  }
}

/** Input nested deeper than MAX_NESTING (nestingLimit.ts): `FILE:LINE:COL: nesting too deep (...)`. */
export class LitmusNestingError extends LitmusError {
  constructor(fileName: string, pos: SourcePos, limit: number) {
    super(fileName, pos, `nesting too deep (more than ${limit} levels of parentheses, blocks, operators or calls)`);
    this.name = "LitmusNestingError";
  }
}

/**
 * A process did something impossible at run time: dereferenced an integer,
 * divided by zero. It is an AssertionFailure so the runtime ends just that
 * execution with an error instead of aborting the exploration: candidate
 * executions that LKMM later finds inconsistent can feed a thread such values.
 */
export class LitmusRuntimeError extends AssertionFailure {
  constructor(
    readonly fileName: string,
    readonly pos: SourcePos,
    readonly detail: string,
  ) {
    super(`${escapeForTerminal(fileName)}:${pos.line}:${pos.col}: ${detail}`);
    this.name = "LitmusRuntimeError";
  }
}
