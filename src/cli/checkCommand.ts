// `pagerace check <model file or folder>`: explore each model, print a
// summary (or JSON), exit 0 when every model verified (or met its declared
// expectation), 1 otherwise.

import { relative } from "node:path";
import { explore, type Strategy } from "../explore/explore.ts";
import { encodeReplayId } from "../explore/replayId.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { renderSummary } from "../report/summary.ts";
import { JSON_FORMAT, resultJson } from "../report/json.ts";
import { verdictOf } from "../report/verdict.ts";
import { parseArguments, positiveInteger } from "./arguments.ts";
import { loadModels } from "./loadModels.ts";
import { UsageError } from "./usageError.ts";
import type { Heartbeat } from "./watchdog.ts";
import { parentPort } from "node:worker_threads";
import { ProgressLine } from "./progressLine.ts";

export const CHECK_USAGE = `pagerace check [options] <model file or folder>...
  --model sc|tso|lkmm   memory model (default sc)
  --strategy optimal|enumerate|candidates
                        exploration (default: optimal where the model allows it)
  --all                 do not stop at the first violation
  --json                print a JSON result (format pagerace-result, version 1)
  --max-events N        events one thread may issue before it counts as an unbounded loop
  --timeout SECONDS     how long thread code may run without yielding (default 10)
  --quiet               no progress on stderr`;

export async function checkCommand(args: readonly string[], heartbeat?: Heartbeat): Promise<number> {
  const a = parseArguments(args, ["all", "json", "quiet"], ["model", "strategy", "max-events", "timeout"]);
  if (a.positional.length === 0) throw new UsageError(`check needs a model file or folder\n${CHECK_USAGE}`);
  const memoryModel = memoryModelNamed(a.options.get("model") ?? "sc");
  const strategy = a.options.get("strategy") as Strategy | undefined;
  if (strategy !== undefined && !["optimal", "enumerate", "candidates"].includes(strategy))
    throw new UsageError(`--strategy expects optimal, enumerate or candidates, got '${strategy}'`);
  const maxEventsPerThread = positiveInteger(a.options.get("max-events"), "max-events");
  positiveInteger(a.options.get("timeout"), "timeout"); // used by the watchdog, validated here too
  const loaded = (await Promise.all(a.positional.map(loadModels))).flat();
  if (loaded.length === 0) throw new UsageError(`no models found in ${a.positional.join(", ")}`);
  parentPort?.postMessage({ threadNames: loaded.map((l) => l.model.threads.map((t) => t.name)) });

  const progress = new ProgressLine(a.flags.has("quiet") || a.flags.has("json"));
  const results: object[] = [];
  let failed = false;
  for (const [i, { file, model }] of loaded.entries()) {
    heartbeat?.watch(i);
    const r = explore(model, {
      memoryModel,
      strategy,
      maxEventsPerThread,
      stopOnViolation: !a.flags.has("all"),
      site: heartbeat,
      onProgress: (p) => progress.show(model.name, p),
    });
    heartbeat?.idle();
    progress.clear();
    const ids = r.violations.map((v) => (v.path !== undefined ? encodeReplayId(model, memoryModel.name, v.path) : undefined));
    if (!verdictOf(model, r).expected) failed = true;
    if (a.flags.has("json")) results.push({ file: relative(process.cwd(), file), ...resultJson(model, r, ids) });
    else {
      const where = relative(process.cwd(), file);
      console.log(renderSummary(model, r, { replayIds: ids, replayCommand: (id) => `pagerace replay ${where} ${id}` }) + "\n");
    }
  }
  if (a.flags.has("json")) console.log(JSON.stringify({ ...JSON_FORMAT, results }, null, 2));
  else console.log(failed ? "Result: some models did not verify (or did not behave as their variant expects)." : `Result: all ${loaded.length} models behaved as expected.`);
  return failed ? 1 : 0;
}
