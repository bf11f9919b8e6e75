// `pagerace replay <model file> <replay id>`: reproduce exactly one execution.

import { replay } from "../explore/replay.ts";
import { decodeReplayId, modelTag } from "../explore/replayId.ts";
import { renderColumns } from "../report/columns.ts";
import { graphJson } from "../report/json.ts";
import { parseArguments } from "./arguments.ts";
import { loadModels } from "./loadModels.ts";
import { UsageError } from "./usageError.ts";
import type { Heartbeat } from "./watchdog.ts";
import { parentPort } from "node:worker_threads";

export const REPLAY_USAGE = `pagerace replay [--json] [--timeout SECONDS] <model file> <replay id>`;

export async function replayCommand(args: readonly string[], heartbeat?: Heartbeat): Promise<number> {
  const a = parseArguments(args, ["json"], ["timeout"]);
  if (a.positional.length !== 2) throw new UsageError(`replay needs a model file and a replay id\n${REPLAY_USAGE}`);
  const [file, id] = a.positional as [string, string];
  let tag: string;
  try {
    tag = decodeReplayId(id).modelTag;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const loaded = await loadModels(file);
  const match = loaded.find((l) => modelTag(l.model) === tag);
  if (match === undefined) throw new UsageError(`${file}: none of its models (${loaded.map((l) => l.model.name).join(", ")}) made replay id ${id}`);
  parentPort?.postMessage({ threadNames: [match.model.threads.map((t) => t.name)] });
  heartbeat?.watch(0);
  const { graph, outcome } = replay(match.model, id, { site: heartbeat });
  heartbeat?.idle();
  if (a.flags.has("json")) console.log(JSON.stringify({ model: match.model.name, replayId: id, status: outcome.status, violation: outcome.violation ?? null, graph: graphJson(match.model, graph) }, null, 2));
  else console.log(`${match.model.name}, replay ${id}:\n\n${renderColumns(match.model, graph, outcome)}`);
  return outcome.violation === undefined ? 0 : 1;
}
