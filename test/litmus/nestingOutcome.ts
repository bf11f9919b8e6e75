// What reading and running one test gives, as a line: used by
// nestingLimit.test.ts on the main thread and, loaded again, in a worker.

import { compileLitmus } from "../../src/litmus/compile.ts";
import { parseLitmus } from "../../src/litmus/parser.ts";
import { runLitmus } from "../../src/litmus/run/runLitmus.ts";
import { sc } from "../../src/models/sc.ts";

export function nestingOutcome(text: string): string {
  try {
    const run = runLitmus(compileLitmus(parseLitmus(text, "deep.litmus")), { memoryModel: sc });
    return `ran: ${run.holds} ${run.fails}`;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}
