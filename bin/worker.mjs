// The entry of pagerace's worker threads: a command under the watchdog
// (src/cli/watchdog.ts), litmus tests under a time limit
// (src/litmus/run/timedLitmusRunner.ts), or subtrees of a parallel check
// (src/cli/subtreeWorkerEntry.ts).
import { workerData } from "node:worker_threads";
import { loadCli } from "./entry.mjs";

const cli = await loadCli();
if (workerData.kind === "litmus") await cli.serveLitmusRequests();
else if (workerData.kind === "subtrees") await cli.serveSubtreeRequests();
else process.exitCode = await cli.runWatchedCommand(workerData.command, workerData.args, workerData.beat, workerData.handedOver, workerData.stuck);
