// Entry point of the command line: dispatch, and turn errors into exit codes
// (0 verified, 1 violation, 2 usage or model error).

import { ModelError } from "../runtime/modelError.ts";
import { CHECK_USAGE, checkCommand } from "./checkCommand.ts";
import { REPLAY_USAGE, replayCommand } from "./replayCommand.ts";
import { UsageError } from "./usageError.ts";

const USAGE = `usage:
  ${CHECK_USAGE.replace(/\n/g, "\n  ")}
  ${REPLAY_USAGE}

exit codes: 0 verified (or as expected), 1 violation, 2 usage or model error`;

export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "check":
        return await checkCommand(rest);
      case "replay":
        return await replayCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ModelError) {
      console.error(`pagerace: ${e.message}`);
      return 2;
    }
    console.error(`pagerace: model error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.PAGERACE_DEBUG) console.error(e);
    return 2;
  }
}
