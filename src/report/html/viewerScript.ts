// The viewer's browser script: src/report/html/browser/ and the Graphviz
// layout library (@viz-js/viz, WebAssembly inlined), bundled into one
// script when the package is built (scripts/bundleViewer.mjs) and kept
// gzipped in dist/ next to this module, so that the package carries the
// layout library (a devDependency) in its smallest form and a page needs no
// network. Run from the TypeScript sources (PAGERACE_FROM_SOURCE, the
// tests), the module finds the copy the last build left in dist/.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const VIEWER_SCRIPT_FILE = "viewerScript.js.gz";

const PLACES = [new URL(`./${VIEWER_SCRIPT_FILE}`, import.meta.url), new URL(`../../../dist/report/html/${VIEWER_SCRIPT_FILE}`, import.meta.url)];

let script: string | undefined;

export function viewerScript(): string {
  if (script !== undefined) return script;
  const found = PLACES.find((url) => existsSync(fileURLToPath(url)));
  if (found === undefined) throw new Error(`the viewer's script is not built (no ${fileURLToPath(PLACES[0]!)}): run \`npm run build\``);
  script = gunzipSync(readFileSync(found)).toString("utf8");
  return script;
}
