// The part of a litmus file before the initial state: `C NAME` on the first
// line, then (as herd's splitter allows) `Key=value` lines, `(* *)`
// comments and an optional quoted doc string, up to the `{` that opens the
// initial state. Like herd, other header text is skipped: it carries no
// meaning for the test.

import type { InfoLine } from "./ast.ts";
import { LitmusSyntaxError, LitmusUnsupportedError } from "./errors.ts";
import { skipHerdComment } from "./lexer.ts";
import type { SourceText } from "./source.ts";
import { excerptForTerminal, quoteForTerminal } from "../report/terminalText.ts";

export interface Header {
  readonly arch: string;
  readonly name: string;
  readonly info: readonly InfoLine[];
  readonly doc?: string;
  /** Offset just after the `{` opening the initial state. */
  readonly initStart: number;
  /** Offset of the `}` closing it (herd: the first `}` after the `{`). */
  readonly initEnd: number;
}

// herd's test-name characters.
const TEST_NAME = /[A-Za-z0-9_/.\-+[\]]+/y;
const ARCH = /[ \t\r]*([A-Za-z0-9_]+)[ \t\r]+/y;
const TEXNAME = /\([A-Za-z][A-Za-z0-9_/.\-]*\)[ \t\r]*/y;
const DOC = /\n?[ \t\r]*"([^"]*)"[ \t\r]*/y;
const KEY_VALUE = /([A-Za-z][A-Za-z0-9_/.\-]*)[ \t\r]*=[ \t\r]*([^\n]*)/y;

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

export function parseHeader(src: SourceText): Header {
  const text = src.text;
  let i = 0;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  const arch = matchAt(ARCH, text, i);
  if (!arch) throw new LitmusSyntaxError(src.fileName, src.pos(i), "'C NAME' on the first line", describeAt(text, i));
  if (arch[1] !== "C") throw new LitmusUnsupportedError(src.fileName, src.pos(i + arch[0].indexOf(arch[1]!)), `architecture ${excerptForTerminal(arch[1]!)}`);
  i += arch[0].length;
  const name = matchAt(TEST_NAME, text, i);
  if (!name) throw new LitmusSyntaxError(src.fileName, src.pos(i), "a test name", describeAt(text, i));
  i += name[0].length;
  while (text[i] === " " || text[i] === "\t" || text[i] === "\r") i++;
  const tex = matchAt(TEXNAME, text, i);
  if (tex) i += tex[0].length;
  let doc: string | undefined;
  const docMatch = matchAt(DOC, text, i);
  if (docMatch) {
    doc = docMatch[1];
    i += docMatch[0].length;
  }
  if (text[i] === ";") i++;

  const info: InfoLine[] = [];
  for (;;) {
    if (i >= text.length) throw new LitmusSyntaxError(src.fileName, src.pos(i), "'{' opening the initial state", "end of input");
    const c = text[i]!;
    if (c === "{") break;
    if (text.startsWith("(*", i)) {
      i = skipHerdComment(src, i);
      continue;
    }
    const kv = matchAt(KEY_VALUE, text, i);
    if (kv) {
      info.push({ key: kv[1]!, value: kv[2]!.trim(), pos: src.pos(i) });
      i += kv[0].length;
      continue;
    }
    if (c === '"' && doc === undefined) {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw new LitmusSyntaxError(src.fileName, src.pos(i), "'\"' closing the doc string", "end of input");
      doc = text.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    // Anything else runs to the end of the line or the `{`, as in herd.
    if (c === "\n") i++;
    else while (i < text.length && text[i] !== "\n" && text[i] !== "{") i++;
  }
  const initStart = i + 1;
  const initEnd = text.indexOf("}", initStart);
  if (initEnd < 0) throw new LitmusSyntaxError(src.fileName, src.pos(text.length), "'}' closing the initial state", "end of input");
  return { arch: arch[1]!, name: name[0], info, doc, initStart, initEnd };
}

function describeAt(text: string, i: number): string {
  if (i >= text.length) return "end of input";
  const word = /\S+/.exec(text.slice(i, i + 40));
  return word ? quoteForTerminal(word[0]) : "end of input";
}
