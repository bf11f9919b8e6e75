#!/usr/bin/env node
// pagerace's command line.
import { loadCli, loadServerClient } from "./entry.mjs";

// Output piped into `head` and the like: stop quietly when the reader goes.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
const args = process.argv.slice(2);
let cli;
let served;
try {
  // check, replay and litmus go first to this installation's warm server, if
  // one listens; the rest of pagerace loads only when the command runs here.
  if (["check", "replay", "litmus"].includes(args[0]) && !process.env.PAGERACE_NO_SERVER) served = await (await loadServerClient()).runOnServer(args);
  if (served === undefined || !("code" in served)) cli = await loadCli();
} catch (e) {
  console.error(`pagerace: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
process.exitCode = cli === undefined ? served.code : await cli.main(args, served);
