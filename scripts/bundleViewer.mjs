// Bundles the HTML viewer's browser script (src/report/html/browser/) with
// its layout library, @viz-js/viz (Graphviz compiled to WebAssembly, the
// WebAssembly inlined), into one script, gzipped into
// dist/report/html/viewerScript.js.gz, which src/report/html/viewerScript.ts
// inlines into every page. The library is a devDependency: the package
// carries only this bundle. Run by scripts/build.mjs after tsc.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundleViewer() {
  const result = await build({
    entryPoints: [join(root, "src/report/html/browser/viewerMain.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "inline",
    logLevel: "error",
  });
  const script = result.outputFiles[0].text;
  // The page inlines the script in a <script> element, which must not end inside it.
  if (/<\/script/i.test(script)) throw new Error("the viewer bundle holds '</script': it cannot be inlined in a page");
  const out = join(root, "dist/report/html");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "viewerScript.js.gz"), gzipSync(script, { level: 9 }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleViewer();
