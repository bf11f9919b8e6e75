// Bundles the command line into dist/cli.mjs, so that it starts without
// compiling TypeScript on every run (bin/pagerace.mjs falls back to the
// sources when they are newer than the bundle).
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/cli.mjs",
  packages: "external",
  logLevel: "warning",
});
