// The worker thread that runs a command under the watchdog (src/cli/watchdog.ts).
import { workerData } from "node:worker_threads";
import { loadCli } from "./entry.mjs";

const { runCommand, Heartbeat } = await loadCli();
process.exitCode = await runCommand(workerData.command, workerData.args, new Heartbeat(new Int32Array(workerData.beat)));
