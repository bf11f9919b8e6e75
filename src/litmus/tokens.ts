// Tokens shared by the two lexers (C code, and herd's state language for
// the initial state and the final condition), and the cursor the parsers
// walk them with.

import { LitmusNestingError, LitmusSyntaxError, LitmusUnsupportedError } from "./errors.ts";
import { MAX_NESTING } from "./nestingLimit.ts";
import { quoteForTerminal } from "../report/terminalText.ts";
import type { SourcePos, SourceText } from "./source.ts";

export type TokenKind = "ident" | "number" | "punct" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** The token's text; for `eof`, what ended the segment (a keyword), or "" at the end of the file. */
  readonly text: string;
  readonly pos: SourcePos;
  /** Numbers only: the value. */
  readonly value?: number;
}

/** How a token reads in an error message. */
export function describeToken(t: Token): string {
  if (t.kind === "eof") return t.text === "" ? "end of input" : `'${t.text}'`;
  return quoteForTerminal(t.text);
}

export class TokenCursor {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly source: SourceText,
  ) {
    if (tokens.length === 0 || tokens[tokens.length - 1]!.kind !== "eof") throw new Error("TokenCursor: token list must end with eof");
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  /** Whether the next token is the punctuation or identifier `text`. */
  is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === "punct" || t.kind === "ident") && t.text === text;
  }

  accept(text: string): Token | undefined {
    return this.is(text) ? this.next() : undefined;
  }

  expect(text: string, what = `'${text}'`): Token {
    if (!this.is(text)) this.fail(what);
    return this.next();
  }

  expectIdent(what: string): Token {
    if (this.peek().kind !== "ident") this.fail(what);
    return this.next();
  }

  /**
   * Parses one level of nesting that starts at `at` (a parenthesis, a
   * block, an operand): the parsers recurse through here, so the depth is
   * bounded by MAX_NESTING whatever the input.
   */
  nested<T>(at: Token, parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw new LitmusNestingError(this.source.fileName, at.pos, MAX_NESTING);
    const result = parse();
    this.depth--;
    return result;
  }

  /** Throws `expected WHAT, found <next token>` at the next token. */
  fail(what: string, at: Token = this.peek()): never {
    throw new LitmusSyntaxError(this.source.fileName, at.pos, what, describeToken(at));
  }

  unsupported(feature: string, at: Token = this.peek()): never {
    throw new LitmusUnsupportedError(this.source.fileName, at.pos, feature);
  }
}
