// The worker side of timedLitmusRunner.ts: loads and runs one litmus file
// per request and posts back the outcome as plain data.

import { parentPort } from "node:worker_threads";
import { loadLitmusFile } from "./loadLitmusFile.ts";
import { runLitmus } from "./runLitmus.ts";
import { litmusMemoryModel } from "./litmusMemoryModels.ts";
import { READY, type LitmusRequest, type LitmusResponse, type TimedLitmusResult } from "./timedLitmusRunner.ts";

function handle(req: LitmusRequest): TimedLitmusResult {
  const memoryModel = litmusMemoryModel(req.model);
  if (memoryModel === undefined) return { kind: "failed", message: `unknown memory model '${req.model}'` };
  try {
    const load = loadLitmusFile(req.file, req.shownAs);
    if (load.kind !== "compiled") return load;
    return { kind: "run", run: runLitmus(load.compiled, { memoryModel, strategy: req.strategy, timeLimitMs: req.timeLimitMs }) };
  } catch (e) {
    return { kind: "failed", message: e instanceof Error ? e.message : String(e) };
  }
}

/** Run in a worker thread: answers litmus requests until the worker is stopped. */
export function serveLitmusRequests(): void {
  parentPort!.on("message", (req: LitmusRequest) => {
    const response: LitmusResponse = { id: req.id, result: handle(req) };
    parentPort!.postMessage(response);
  });
  parentPort!.postMessage(READY);
}
