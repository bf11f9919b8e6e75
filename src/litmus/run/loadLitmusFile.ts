// Reading a litmus file from disk and compiling it, with the problems a
// user can fix told apart from pagerace's own failures: a malformed test
// (`file:line:col: expected ...`) or a primitive pagerace does not model
// (`file:line:col: unsupported: NAME`) both mean "this test cannot run".

import { readFileSync } from "node:fs";
import { compileLitmus, type CompiledLitmus } from "../compile.ts";
import { parseLitmus } from "../parser.ts";
import { LitmusError, LitmusNestingError, LitmusUnsupportedError } from "../errors.ts";

export type LitmusLoad =
  | { readonly kind: "compiled"; readonly compiled: CompiledLitmus; readonly text: string }
  /** `message` is `file:line:col: ...`; `line` and `column` repeat the position. */
  | { readonly kind: "malformed" | "unsupported"; readonly message: string; readonly line: number; readonly column: number }
  | { readonly kind: "unreadable"; readonly message: string };

/** `shownAs` is the file name error messages cite (herd cites the path as given). */
export function loadLitmusFile(path: string, shownAs: string = path): LitmusLoad {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return { kind: "unreadable", message: `${shownAs}: ${whyUnreadable(e)}` };
  }
  try {
    return { kind: "compiled", compiled: compileLitmus(parseLitmus(text, shownAs)), text };
  } catch (e) {
    // Too deep a nesting may be valid C: a limit of pagerace's (nestingLimit.ts), like an unsupported primitive.
    const kind = e instanceof LitmusUnsupportedError || e instanceof LitmusNestingError ? "unsupported" : "malformed";
    if (e instanceof LitmusError) return { kind, message: e.message, line: e.pos.line, column: e.pos.col };
    throw e;
  }
}

/** Why a file could not be read, in words: the system's own message for anything less common. */
function whyUnreadable(e: unknown): string {
  switch ((e as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
      return "cannot be read (permission denied)";
    case "EISDIR":
      return "is a folder, not a test";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
