// Two lexers over one litmus file. Process code is C: `//` and `/* */`
// comments, and `(*x` is a dereference. The initial state and the final
// condition use herd's state language: `(* *)` comments, `/\` and `\/`,
// and names that may contain `.`, `/` and `-`.

import { LitmusSyntaxError } from "./errors.ts";
import type { SourceText } from "./source.ts";
import type { Token } from "./tokens.ts";
import { quoteForTerminal } from "../report/terminalText.ts";

/** Keywords that end the program and start the final section (herd's splitter). */
export const FINAL_SECTION_KEYWORDS: ReadonlySet<string> = new Set([
  "exists",
  "forall",
  "final",
  "locations",
  "filter",
  "cases",
  "observed",
  "Observed",
]);

const C_PUNCTUATION = [
  "<<=", ">>=", "...",
  "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
  "{", "}", "(", ")", "[", "]", ";", ",", "=", "<", ">", "+", "-", "*", "/", "%",
  "&", "|", "^", "!", "~", "?", ":", ".",
];

const STATE_PUNCTUATION = [
  "/\\", "\\/", "=>", "==", "!=", "<>",
  "=", "~", "(", ")", "[", "]", "{", "}", ";", ":", ",", "&", "*", "+",
];

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isAlpha = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isHexDigit = (c: string): boolean => isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
const isBlank = (c: string): boolean => c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\f" || c === "\v";

/** Skips a `(* ... *)` comment (herd's comments nest) starting at `i`; returns the offset after it. */
export function skipHerdComment(src: SourceText, i: number): number {
  const text = src.text;
  let depth = 0;
  const start = i;
  while (i < text.length) {
    if (text.startsWith("(*", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith("*)", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new LitmusSyntaxError(src.fileName, src.pos(start), "'*)' closing this comment", "end of input");
}

function skipCComment(src: SourceText, i: number): number {
  const end = src.text.indexOf("*/", i + 2);
  if (end < 0) throw new LitmusSyntaxError(src.fileName, src.pos(i), "'*/' closing this comment", "end of input");
  return end + 2;
}

function skipLineComment(text: string, i: number): number {
  const end = text.indexOf("\n", i);
  return end < 0 ? text.length : end + 1;
}

/** Reads a decimal or hexadecimal literal at `i` (no sign). */
function readNumber(src: SourceText, i: number): { end: number; value: number } {
  const text = src.text;
  let j = i;
  let value: number;
  if (text[j] === "0" && (text[j + 1] === "x" || text[j + 1] === "X") && isHexDigit(text[j + 2] ?? "")) {
    j += 2;
    while (j < text.length && isHexDigit(text[j]!)) j++;
    value = parseInt(text.slice(i + 2, j), 16);
  } else {
    while (j < text.length && isDigit(text[j]!)) j++;
    value = parseInt(text.slice(i, j), 10);
  }
  if (!Number.isSafeInteger(value)) throw new LitmusSyntaxError(src.fileName, src.pos(i), "an integer that fits 53 bits", quoteForTerminal(text.slice(i, j)));
  return { end: j, value };
}

/** The whole character at `i`: both halves of a surrogate pair (an emoji), not the first alone. */
function characterAt(text: string, i: number): string {
  return String.fromCodePoint(text.codePointAt(i)!);
}

function matchPunctuation(text: string, i: number, table: readonly string[]): string | undefined {
  for (const p of table) if (text.startsWith(p, i)) return p;
  return undefined;
}

/**
 * Lexes C code from `start` until, outside any braces or parentheses, a
 * keyword that opens the final section (`exists`, `~exists`, `forall`,
 * `locations`, ...) or the end of the file. The returned `eof` token sits
 * where the code stopped.
 */
export function lexCode(src: SourceText, start: number): { tokens: Token[]; end: number } {
  const text = src.text;
  const tokens: Token[] = [];
  // The braces and parentheses open: only at the top level can the code end. A closing one closes the last one
  // of its kind, and any opened after it: a ')' left out must not keep the code going into the final section,
  // so that the parser says where the ')' is missing.
  const open: string[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (text.startsWith("//", i)) {
      i = skipLineComment(text, i);
      continue;
    }
    if (text.startsWith("/*", i)) {
      i = skipCComment(src, i);
      continue;
    }
    // Between processes `(*` cannot be C, so it is read as a herd comment there.
    if (open.length === 0 && text.startsWith("(*", i)) {
      i = skipHerdComment(src, i);
      continue;
    }
    if (isAlpha(c) || c === "_") {
      let j = i + 1;
      while (j < text.length && (isAlpha(text[j]!) || isDigit(text[j]!) || text[j] === "_")) j++;
      const word = text.slice(i, j);
      if (open.length === 0 && FINAL_SECTION_KEYWORDS.has(word)) return { tokens: [...tokens, { kind: "eof", text: word, pos: src.pos(i) }], end: i };
      tokens.push({ kind: "ident", text: word, pos: src.pos(i) });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      const { end, value } = readNumber(src, i);
      let j = end;
      // Integer suffixes (`1UL`) change nothing here.
      while (j < text.length && "uUlL".includes(text[j]!)) j++;
      if (j < text.length && (isAlpha(text[j]!) || isDigit(text[j]!) || text[j] === "_")) {
        throw new LitmusSyntaxError(src.fileName, src.pos(i), "a number", quoteForTerminal(text.slice(i, j + 1)));
      }
      tokens.push({ kind: "number", text: text.slice(i, j), pos: src.pos(i), value });
      i = j;
      continue;
    }
    if (open.length === 0 && c === "~") {
      const m = /^~[ \t\r\n]*exists(?![A-Za-z0-9_])/.exec(text.slice(i, i + 64));
      if (m) return { tokens: [...tokens, { kind: "eof", text: "~exists", pos: src.pos(i) }], end: i };
    }
    const p = matchPunctuation(text, i, C_PUNCTUATION);
    if (p === undefined) throw new LitmusSyntaxError(src.fileName, src.pos(i), "C code", quoteForTerminal(characterAt(text, i)));
    if (p === "{" || p === "(") open.push(p);
    else if (p === "}" || p === ")") {
      const opened = open.lastIndexOf(p === "}" ? "{" : "(");
      if (opened >= 0) open.length = opened;
    }
    tokens.push({ kind: "punct", text: p, pos: src.pos(i) });
    i += p.length;
  }
  tokens.push({ kind: "eof", text: "", pos: src.pos(text.length) });
  return { tokens, end: text.length };
}

/** Lexes herd's state language over `[start, end)`; the `eof` token reads as `endText` (e.g. the closing `}`). */
export function lexState(src: SourceText, start: number, end: number, endText = ""): Token[] {
  const text = src.text;
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (text.startsWith("(*", i)) {
      i = skipHerdComment(src, i);
      continue;
    }
    const signed = c === "-" && isDigit(text[i + 1] ?? "");
    if (isDigit(c) || signed) {
      const { end: j, value } = readNumber(src, signed ? i + 1 : i);
      tokens.push({ kind: "number", text: text.slice(i, j), pos: src.pos(i), value: signed ? -value : value });
      i = j;
      continue;
    }
    if (isAlpha(c) || c === "_" || c === "." || c === "$") {
      let j = i + 1;
      while (j < end && (isAlpha(text[j]!) || text[j] === "_" || text[j] === "." || text[j] === "$")) j++;
      while (j < end && (isAlpha(text[j]!) || isDigit(text[j]!) || "_/.-".includes(text[j]!))) {
        // `/\` and `\/` are connectives, not part of a name.
        if (text[j] === "/" && text[j + 1] === "\\") break;
        j++;
      }
      tokens.push({ kind: "ident", text: text.slice(i, j), pos: src.pos(i) });
      i = j;
      continue;
    }
    const p = matchPunctuation(text, i, STATE_PUNCTUATION);
    if (p === undefined) throw new LitmusSyntaxError(src.fileName, src.pos(i), "a state or condition token", quoteForTerminal(characterAt(text, i)));
    tokens.push({ kind: "punct", text: p, pos: src.pos(i) });
    i += p.length;
  }
  tokens.push({ kind: "eof", text: endText, pos: src.pos(end) });
  return tokens;
}
