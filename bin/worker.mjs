// The worker thread that runs a command under the watchdog (src/cli/watchdog.ts).
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
const { runCommand } = await import("../src/cli/main.ts");
const { Heartbeat } = await import("../src/cli/watchdog.ts");
process.exitCode = await runCommand(workerData.command, workerData.args, new Heartbeat(new Int32Array(workerData.beat)));
