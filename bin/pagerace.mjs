#!/usr/bin/env node
// pagerace's command line.
import { loadCli } from "./entry.mjs";

// Output piped into `head` and the like: stop quietly when the reader goes.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
