// The interactive viewer as one HTML file that works offline: the JSON
// document a command prints with --json (pagerace-result,
// pagerace-scenarios or pagerace-litmus), embedded as data, and the
// viewer's script (viewerScript.ts), which draws the verdict table, each
// violation's or witness's timeline and execution graph, and steps through
// it. The page itself holds no text from the model: the script puts every
// string in with textContent, so a model's `</script><img onerror=...>`
// stays text (scriptSafeJson.ts keeps it inside the data element).

import { createHash } from "node:crypto";
import { scriptSafeJson } from "./scriptSafeJson.ts";
import { viewerScript } from "./viewerScript.ts";

/** The element holding the document; the browser script reads it by this id. */
export const DATA_ELEMENT_ID = "pagerace-data";

export function viewerHtml(doc: object): string {
  const script = viewerScript();
  // The bundle's strings are escaped by esbuild; a literal end tag would end the element early.
  if (/<\/script/i.test(script)) throw new Error("the viewer's script holds '</script': it cannot be inlined");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Everything the page needs is in it, so no request may leave it; and only
    // the viewer's own script runs (by its hash): no inline event handler,
    // should markup ever get into the page. The WebAssembly is compiled from inlined bytes.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-${createHash("sha256").update(script).digest("base64")}' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:">`,
    "<title>pagerace</title>",
    "</head>",
    "<body>",
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptSafeJson(doc)}</script>`,
    `<script>${script}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
