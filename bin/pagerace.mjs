#!/usr/bin/env node
// pagerace's command line. TypeScript sources (pagerace's and the user's
// model files) are loaded through tsx.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
