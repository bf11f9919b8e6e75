// Reading a litmus file from disk and compiling it, with the problems a
// user can fix told apart from pagerace's own failures: a malformed test
// (`file:line:col: expected ...`) or a primitive pagerace does not model
// (`file:line:col: unsupported: NAME`) both mean "this test cannot run".

import { readFileSync } from "node:fs";
import { compileLitmus, type CompiledLitmus } from "../compile.ts";
import { parseLitmus } from "../parser.ts";
import { LitmusError, LitmusUnsupportedError } from "../errors.ts";

export type LitmusLoad =
  | { readonly kind: "compiled"; readonly compiled: CompiledLitmus; readonly text: string }
  /** `message` is `file:line:col: ...`. */
  | { readonly kind: "malformed" | "unsupported"; readonly message: string }
  | { readonly kind: "unreadable"; readonly message: string };

/** `shownAs` is the file name error messages cite (herd cites the path as given). */
export function loadLitmusFile(path: string, shownAs: string = path): LitmusLoad {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return { kind: "unreadable", message: `${shownAs}: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    return { kind: "compiled", compiled: compileLitmus(parseLitmus(text, shownAs)), text };
  } catch (e) {
    if (e instanceof LitmusUnsupportedError) return { kind: "unsupported", message: e.message };
    if (e instanceof LitmusError) return { kind: "malformed", message: e.message };
    throw e;
  }
}
