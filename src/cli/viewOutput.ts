// `--html FILE` on check, scenario(s) and litmus: the JSON document the
// command would print with --json, written as the interactive viewer
// (src/report/html/viewerHtml.ts).

import { writeFileSync } from "node:fs";
import { viewerHtml } from "../report/html/viewerHtml.ts";
import { escapeForTerminal } from "../report/terminalText.ts";
import { UsageError } from "./usageError.ts";

/** Writes the page and says where on stderr (stdout stays the command's). */
export function writeViewerPage(path: string, doc: object): void {
  try {
    writeFileSync(path, viewerHtml(doc));
  } catch (e) {
    throw new UsageError(`--html ${path}: cannot be written: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.error(escapeForTerminal(`pagerace: viewer written to ${path}`));
}

/**
 * `--html FILE` (or `--html=FILE`) taken out of herd7-style arguments, which
 * the litmus command parses with herd's rules (herdInvocation.ts); the rest
 * unchanged. Options end at `--`.
 */
export function takeHtmlOption(args: readonly string[]): { html?: string; rest: string[] } {
  const rest: string[] = [];
  let html: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === "--html" || arg === "-html") {
      html = args[++i];
      if (html === undefined) throw new UsageError(`${arg} expects a file name`);
    } else if (arg.startsWith("--html=")) html = arg.slice("--html=".length);
    else rest.push(arg);
  }
  return html === undefined ? { rest } : { html, rest };
}
