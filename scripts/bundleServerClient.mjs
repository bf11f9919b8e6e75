// Bundles the warm server's client (src/cli/server/serverClient.ts) and
// what it imports into one file, dist/cli/server/serverClient.bundle.js:
// the first module `pagerace check`, `replay` and `litmus` load
// (bin/pagerace.mjs). When a server runs the command, that file is all of
// pagerace the client's process loads, and one file loads in a few
// milliseconds less than the modules it is made of. Run by
// scripts/build.mjs after tsc.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundleServerClient() {
  await build({
    entryPoints: [join(root, "src/cli/server/serverClient.ts")],
    outfile: join(root, "dist/cli/server/serverClient.bundle.js"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleServerClient();
