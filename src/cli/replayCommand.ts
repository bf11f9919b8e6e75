// `pagerace replay <model file> <replay id>`: reproduce exactly one execution
// (under the memory model the id names), with the data races LKMM flags in
// it marked. A thread that threw is reported as check reports it, even when
// it threw before its first operation and there is nothing to draw.

import { replay } from "../explore/replay.ts";
import { decodeReplayId, modelTag } from "../explore/replayId.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { renderColumns } from "../report/columns.ts";
import { describeAccess, racingAccesses } from "../report/racingAccesses.ts";
import { graphJson } from "../report/json.ts";
import { parseArguments, positiveInteger, positiveSeconds } from "./arguments.ts";
import { terminalWidth } from "../report/terminalWidth.ts";
import { loadModels } from "./loadModels.ts";
import { UsageError } from "./usageError.ts";
import type { Heartbeat } from "./watchdog.ts";
import { parentPort } from "node:worker_threads";

export const REPLAY_USAGE = `pagerace replay [--json] [--width N] [--max-events N] [--timeout SECONDS] <model file> <replay id>
  the one execution a replay id names (check prints the command for each violation), drawn as check draws it
  --json                print the execution as JSON (its graph, status, violation and data races)
  --width N             draw the timeline at most N columns wide (default: the terminal's, else 100)
  --max-events N        the event bound the check ran with (check prints it in the replay command when not the default)
  --timeout SECONDS     watchdog: how long thread code may run without yielding (default 10)`;

export async function replayCommand(args: readonly string[], heartbeat?: Heartbeat): Promise<number> {
  const a = parseArguments(args, { json: "boolean", width: "string", timeout: "string", "max-events": "string" });
  const width = terminalWidth(positiveInteger(a.options.get("width"), "width"));
  positiveSeconds(a.options.get("timeout"), "timeout"); // used by the watchdog, validated here too
  // A run cut off by a smaller bound than the default must be replayed with it, or the replay runs past where the check stopped.
  const maxEventsPerThread = positiveInteger(a.options.get("max-events"), "max-events");
  if (a.positional.length !== 2) throw new UsageError(`replay needs a model file and a replay id\n${REPLAY_USAGE}`);
  const [file, id] = a.positional as [string, string];
  let tag: string;
  let memoryModel: string;
  try {
    ({ modelTag: tag, memoryModel } = decodeReplayId(id));
    memoryModelNamed(memoryModel); // an id of a memory model this pagerace does not know is malformed too
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const loaded = await loadModels(file);
  const match = loaded.find((l) => modelTag(l.model) === tag);
  if (match === undefined) throw new UsageError(`${file}: replay id ${id} was made for none of its models (${loaded.map((l) => l.model.name).join(", ")}), or by another version of pagerace, whose explorer takes other paths`);
  parentPort?.postMessage({ threadNames: [match.model.threads.map((t) => t.name)] });
  heartbeat?.watch(0);
  // Through the heartbeat's runner: in the main thread first (mainThreadFirst.ts), that bounds its time.
  const replayed = () => replay(match.model, id, { site: heartbeat, maxEventsPerThread });
  const { graph, outcome, failure } = heartbeat === undefined ? replayed() : heartbeat.run(replayed);
  heartbeat?.idle();
  if (failure !== undefined) console.error(`pagerace: ${file}: model '${match.model.name}' [${memoryModel}]: ${failure.message}`);
  // Races are LKMM's notion, and only a complete execution is judged for them (as in check).
  const races = memoryModel === "lkmm" && outcome.status === "complete" ? racingAccesses(graph) : [];
  const model = match.model;
  if (a.flags.has("json")) {
    const ref = (e: (typeof races)[number]["first"]) => ({ thread: e.tid, index: e.idx });
    const dataRaces = races.map((p) => [ref(p.first), ref(p.second)]);
    console.log(JSON.stringify({ model: model.name, memoryModel, replayId: id, status: outcome.status, violation: outcome.violation ?? null, dataRaces, graph: graphJson(model, graph) }, null, 2));
  } else {
    const marked = new Set(races.flatMap((p) => [p.first.id, p.second.id]));
    // A thread that threw is a model error, headed as check heads it; the drawing ends with the failure either way.
    const head = failure === undefined ? "" : ` model error: ${failure.message.split("\n")[0]}`;
    const lines = [`${model.name} [${memoryModel}], replay ${id}:${head}`, "", renderColumns(model, graph, outcome, "events", marked, { width })];
    for (const p of races) lines.push(`data race: ${describeAccess(model, p.first)} and ${describeAccess(model, p.second)}`);
    console.log(lines.join("\n"));
  }
  if (failure !== undefined) return 2; // a model error, as when check met it
  return outcome.violation === undefined ? 0 : 1;
}
