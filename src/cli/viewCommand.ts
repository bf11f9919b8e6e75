// `pagerace view RESULT.json [-o FILE.html]`: the JSON document a command
// printed with --json (check's pagerace-result, scenario(s)'
// pagerace-scenarios, litmus's pagerace-litmus) as one self-contained HTML
// page (src/report/html/viewerHtml.ts): the verdict table, and each
// violation's or witness's timeline and execution graph, to step through.

import { readFileSync } from "node:fs";
import { parseArguments } from "./arguments.ts";
import { UsageError } from "./usageError.ts";
import { writeViewerPage } from "./viewOutput.ts";
import { quoteForTerminal } from "../report/terminalText.ts";

export const VIEW_USAGE = `pagerace view [-o FILE.html] <result.json>
  -o, --output FILE     where to write the page (default: the JSON file's name with .html)
  The JSON is what check, scenarios, scenario or litmus print with --json; their --html FILE writes the page directly.`;

/** The documents the viewer draws. */
export const VIEWABLE_FORMATS = ["pagerace-result", "pagerace-scenarios", "pagerace-litmus"] as const;

export function viewCommand(args: readonly string[]): number {
  const a = parseArguments(
    args.map((x) => (x === "-o" ? "--output" : x)),
    { output: "string" },
  );
  if (a.positional.length !== 1) throw new UsageError(`view needs one JSON file\n${VIEW_USAGE}`);
  const input = a.positional[0]!;
  let text: string;
  try {
    text = readFileSync(input, "utf8");
  } catch (e) {
    throw new UsageError(`${input}: cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${input}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const format = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as { format?: unknown }).format : undefined;
  if (typeof format !== "string" || !(VIEWABLE_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `${input}: format ${typeof format === "string" ? quoteForTerminal(format) : "missing"}: view draws ${VIEWABLE_FORMATS.join(", ")} (the --json output of check, scenarios, scenario and litmus)`,
    );
  const output = a.options.get("output") ?? `${input.replace(/\.json$/i, "")}.html`;
  writeViewerPage(output, doc as object);
  return 0;
}
