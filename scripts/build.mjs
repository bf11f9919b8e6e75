// Compiles src/ into dist/: the JavaScript the package exports and its bin
// runs, and its declarations. No source maps: tsc's output keeps the sources'
// lines, names and comments, and the package stays small without them (and
// without src/). tsc is incremental (its build info lives in dist/, so
// deleting dist/ forces a full build), which is why files whose source is
// gone are pruned here rather than by cleaning first.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

/** Every file under `dir`, recursively. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const OUTPUT = /\.(js|d\.ts)$/;

if (existsSync(dist)) {
  for (const file of walk(dist)) {
    const m = OUTPUT.exec(file);
    if (m === null) {
      // Not tsc's: the bundle earlier versions built, or anything else left behind.
      if (!file.endsWith(".tsbuildinfo")) rmSync(file);
      continue;
    }
    const base = relative(dist, file).slice(0, -m[0].length);
    if (!existsSync(join(src, `${base}.ts`))) {
      rmSync(file);
      continue;
    }
    // tsc rewrites "./x.ts" to "./x.js" in JavaScript but not in declarations,
    // where a consumer's compiler would look for a .ts file that is not there.
    if (file.endsWith(".d.ts")) {
      const text = readFileSync(file, "utf8");
      const fixed = text.replace(/((?:from|import)\s*\(?\s*)(["'])(\.\.?\/[^"']*?)\.ts\2/g, "$1$2$3.js$2");
      if (fixed !== text) writeFileSync(file, fixed);
    }
  }
  for (const dir of dirsBottomUp(dist)) if (readdirSync(dir).length === 0) rmdirSync(dir);
}

function dirsBottomUp(dir) {
  const subs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  return [...subs.flatMap(dirsBottomUp), ...subs];
}

// The HTML viewer's browser script and its layout library, and the warm server's client, bundled (after the pruning above, which removes them).
await (await import("./bundleViewer.mjs")).bundleViewer();
await (await import("./bundleServerClient.mjs")).bundleServerClient();

process.exit(compiled.status ?? 1);
