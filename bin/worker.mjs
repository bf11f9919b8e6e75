// The entry of pagerace's worker threads: a command under the watchdog
// (src/cli/watchdog.ts), or litmus tests under a time limit
// (src/litmus/run/timedLitmusRunner.ts).
import { workerData } from "node:worker_threads";
import { loadCli } from "./entry.mjs";

const cli = await loadCli();
if (workerData.kind === "litmus") await cli.serveLitmusRequests();
else process.exitCode = await cli.runCommand(workerData.command, workerData.args, new cli.Heartbeat(new Int32Array(workerData.beat)));
