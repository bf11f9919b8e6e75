// `litmus --html`: each test that ran gets its witness (an execution that
// satisfies the condition's proposition, src/report/html/litmusWitness.ts)
// in its JSON entry, for the viewer to draw.

import { loadLitmusFile } from "../litmus/run/loadLitmusFile.ts";
import { litmusMemoryModel } from "../litmus/run/litmusMemoryModels.ts";
import type { HerdInvocation } from "../litmus/run/herdInvocation.ts";
import { litmusWitness } from "../report/html/litmusWitness.ts";
import { escapeForTerminal } from "../report/terminalText.ts";

/** The entry with `witness` added (null when there is none); unchanged for a test that did not run to a verdict. */
export function withLitmusWitness(entry: object, inv: HerdInvocation, file: string): object {
  if ((entry as { status?: string }).status !== "run") return entry;
  try {
    const load = loadLitmusFile(file);
    if (load.kind !== "compiled") return entry;
    return { ...entry, witness: litmusWitness(load.compiled, litmusMemoryModel(inv.model)!, inv.strategy) };
  } catch (e) {
    // The verdict stands; a picture that cannot be made is a note.
    console.error(escapeForTerminal(`pagerace: ${file}: no witness drawn: ${e instanceof Error ? e.message : String(e)}`));
    return entry;
  }
}
