// Where a model file's syntax error is, as `file:line:column: message`.
// Node 20's import() reports an ES module's syntax error without its
// position, and sucrase, which strips a TypeScript model's types, reports
// where its parser gave up: it parses arrow functions speculatively, so a
// mistake inside `model("x", (m) => { ... })` is put at that arrow. The
// position comes instead from Node's own syntax check for JavaScript, and
// from the TypeScript compiler for TypeScript when the model's project has
// one. Both run only once loading has failed.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The syntax error `error` (thrown loading `file`) with its position, or undefined when it is no syntax error. */
export function syntaxErrorAt(file: string, error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const stripperStop = (error as { loc?: { line: number; column: number } }).loc;
  if (error.name !== "SyntaxError" && stripperStop === undefined) return undefined;
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  if (/\.[mc]?ts$/.test(file)) {
    const exact = typeScriptSyntaxError(file, source);
    if (exact !== undefined) return exact;
    if (stripperStop === undefined) return undefined;
    const message = error.message.replace(/^Error transforming [^:]*: /, "").replace(/ \(\d+:\d+\)$/, "");
    return `${file}:${stripperStop.line}:${stripperStop.column + 1}: ${message} (where the TypeScript stripper gave up: the mistake is here or further on, in the same function; with typescript installed beside the model, pagerace points at it)`;
  }
  return javaScriptSyntaxError(file, source);
}

/** The first syntax error the TypeScript compiler finds, if the model's project has the compiler. */
function typeScriptSyntaxError(file: string, source: string): string | undefined {
  let ts: typeof import("typescript");
  try {
    ts = createRequire(file)("typescript") as typeof import("typescript");
  } catch {
    return undefined;
  }
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const first = (sf as unknown as { parseDiagnostics?: readonly import("typescript").Diagnostic[] }).parseDiagnostics?.[0];
  if (first?.start === undefined) return undefined;
  const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
  return `${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")}`;
}

/** Node's syntax check of the source as an ES module (CommonJS for .cjs): the line, the caret's column and the message. */
function javaScriptSyntaxError(file: string, source: string): string | undefined {
  const inputType = file.endsWith(".cjs") ? "commonjs" : "module";
  const r = spawnSync(process.execPath, [`--input-type=${inputType}`, "--check"], { input: source, encoding: "utf8" });
  const lines = r.stderr.split("\n");
  const at = /^\[stdin\]:(\d+)$/.exec(lines[0] ?? "");
  const message = lines.find((l) => l.startsWith("SyntaxError: "));
  if (at === null || message === undefined) return undefined;
  const caret = (lines[2] ?? "").indexOf("^");
  return `${file}:${at[1]}${caret >= 0 ? `:${caret + 1}` : ""}: ${message.slice("SyntaxError: ".length)}`;
}
