#!/usr/bin/env node
// pagerace's command line.
import { loadCli } from "./entry.mjs";

// Output piped into `head` and the like: stop quietly when the reader goes.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
let cli;
try {
  cli = await loadCli();
} catch (e) {
  console.error(`pagerace: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
