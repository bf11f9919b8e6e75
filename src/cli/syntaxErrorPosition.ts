// Where a model file's syntax error is, as `file:line:column: message`.
// Node 20's import() reports an ES module's syntax error without its
// position, and sucrase, which strips a TypeScript model's types, reports
// where its parser gave up: it parses arrow functions speculatively, so a
// mistake inside `model("x", (m) => { ... })` is put at that arrow. The
// position comes instead from Node's own syntax check for JavaScript, and
// from the TypeScript compiler for TypeScript when the model's project has
// one whose API offers what is needed (a compiler without it, such as a
// native one with a different API, counts as none). Both run only once
// loading has failed. The file is named as the other model errors name it:
// relative to the working folder when it lies inside it.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { shownPath } from "./shownPath.ts";

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
  const shown = shownPath(file);
  if (/\.[mc]?ts$/.test(file)) {
    const compiler = typeScriptBeside(file);
    const exact = compiler === "none" || compiler === "unusable" ? undefined : typeScriptSyntaxError(file, shown, source, compiler);
    if (exact !== undefined) return exact;
    if (stripperStop === undefined) return undefined;
    const message = error.message.replace(/^Error transforming [^:]*: /, "").replace(/ \(\d+:\d+\)$/, "");
    const better =
      compiler === "none"
        ? "with typescript installed beside the model, pagerace points at it"
        : "the typescript installed beside the model has no JavaScript API pagerace can ask (typescript 5 has)";
    return `${shown}:${stripperStop.line}:${stripperStop.column + 1}: ${message} (where the TypeScript stripper gave up: the mistake is here or further on, in the same function; ${better})`;
  }
  return javaScriptSyntaxError(shown, source, file.endsWith(".cjs"));
}

/** The part of the TypeScript compiler's API the position finder uses. */
interface SourceFileParser {
  createSourceFile(name: string, text: string, target: number, setParentNodes: boolean, kind: number): ParsedSource;
  readonly ScriptTarget: { readonly Latest: number };
  readonly ScriptKind: { readonly TS: number };
  flattenDiagnosticMessageText(text: unknown, newLine: string): string;
}

interface ParsedSource {
  readonly parseDiagnostics?: readonly { readonly start?: number; readonly messageText: unknown }[];
  getLineAndCharacterOfPosition(position: number): { line: number; character: number };
}

/**
 * The compiler module, when it offers the API above. Checked member by
 * member: a compiler with another API (typescript 7's native one has no
 * ScriptTarget) would otherwise make the message about the model's syntax
 * error a crash of its own.
 */
function sourceFileParser(compiler: unknown): SourceFileParser | undefined {
  if (typeof compiler !== "object" && typeof compiler !== "function") return undefined;
  if (compiler === null) return undefined;
  const ts = compiler as Partial<Record<keyof SourceFileParser, unknown>>;
  const target = ts.ScriptTarget as { Latest?: unknown } | undefined;
  const kind = ts.ScriptKind as { TS?: unknown } | undefined;
  if (typeof ts.createSourceFile !== "function" || typeof ts.flattenDiagnosticMessageText !== "function") return undefined;
  if (typeof target?.Latest !== "number" || typeof kind?.TS !== "number") return undefined;
  return compiler as SourceFileParser;
}

/** The TypeScript compiler the model's project has: one whose API the position finder can use, one it cannot, or none. */
function typeScriptBeside(file: string): SourceFileParser | "unusable" | "none" {
  let compiler: unknown;
  try {
    compiler = createRequire(file)("typescript");
  } catch {
    return "none";
  }
  return sourceFileParser(compiler) ?? "unusable";
}

/**
 * The first syntax error the TypeScript compiler `ts` finds; undefined when
 * it finds none or fails, and the caller says where the stripper stopped.
 */
function typeScriptSyntaxError(file: string, shown: string, source: string, ts: SourceFileParser): string | undefined {
  try {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const first = sf.parseDiagnostics?.[0];
    if (typeof first?.start !== "number" || typeof sf.getLineAndCharacterOfPosition !== "function") return undefined;
    const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
    return `${shown}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")}`;
  } catch {
    // A compiler whose functions exist but behave otherwise: the stripper's position still stands.
    return undefined;
  }
}

/** Node's syntax check of the source as an ES module (CommonJS for .cjs): the line, the caret's column and the message. */
function javaScriptSyntaxError(shown: string, source: string, commonJs: boolean): string | undefined {
  const inputType = commonJs ? "commonjs" : "module";
  const r = spawnSync(process.execPath, [`--input-type=${inputType}`, "--check"], { input: source, encoding: "utf8" });
  const lines = r.stderr.split("\n");
  const at = /^\[stdin\]:(\d+)$/.exec(lines[0] ?? "");
  const message = lines.find((l) => l.startsWith("SyntaxError: "));
  if (at === null || message === undefined) return undefined;
  const caret = (lines[2] ?? "").indexOf("^");
  return `${shown}:${at[1]}${caret >= 0 ? `:${caret + 1}` : ""}: ${message.slice("SyntaxError: ".length)}`;
}
