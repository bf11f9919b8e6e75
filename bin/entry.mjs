// Where the command line's code comes from: the bundle built at install
// (dist/cli.mjs), or the TypeScript sources through tsx when there is no
// bundle or a source file is newer than it (while developing).
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, "dist", "cli.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function loadCli() {
  if (!process.env.PAGERACE_FROM_SOURCE && existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(root, "src"))) {
    return import(bundle);
  }
  const { register } = await import("tsx/esm/api");
  register();
  globalThis[Symbol.for("pagerace.tsx")] = true;
  return import("../src/cli/main.ts");
}
