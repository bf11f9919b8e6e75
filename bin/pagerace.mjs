#!/usr/bin/env node
// pagerace's command line. TypeScript sources (pagerace's and the user's
// model files) are loaded through tsx.
import { register } from "tsx/esm/api";

// Output piped into `head` and the like: stop quietly when the reader goes.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
