// `pagerace view RESULT.json`: the page it writes embeds the document
// unchanged, markup in a model's strings cannot leave the data element, the
// page allows only its own script to run, and a file that is no viewer
// document is refused with the formats it takes.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pagerace } from "../cli/pagerace.ts";
import { HOSTILE } from "./fixtures/hostileNames.ts";

let work = "";
before(() => {
  work = mkdtempSync(join(tmpdir(), "pagerace-view-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** `check --json` of a model, saved as work/NAME.json. */
function saved(name: string, model: string): { path: string; doc: unknown } {
  const r = pagerace("check", "--json", model);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  const path = join(work, `${name}.json`);
  writeFileSync(path, r.out);
  return { path, doc: JSON.parse(r.out) };
}

/** The page's embedded data and its inline script. */
function parts(html: string): { data: string; script: string } {
  const data = /<script type="application\/json" id="pagerace-data">([\s\S]*?)<\/script>/.exec(html);
  const script = /<script>([\s\S]*)<\/script>/.exec(html);
  assert.ok(data && script, "the page should hold a data element and a script");
  return { data: data[1]!, script: script[1]! };
}

test("the page embeds the document unchanged, next to the script, by default beside the JSON", () => {
  const { path, doc } = saved("faultTruncate", "examples/faultTruncate.ts");
  const r = pagerace("view", path);
  assert.equal(r.code, 0, r.err);
  const page = path.replace(/\.json$/, ".html");
  assert.ok(existsSync(page), `view should write ${page}`);
  const html = readFileSync(page, "utf8");
  assert.deepEqual(JSON.parse(parts(html).data), doc);
  // The layout library is in the page: no network is needed to draw a graph.
  assert.ok(html.length > 500_000, "the page should carry Graphviz");
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
});

test("a model's markup stays inside the data element; only the viewer's own script may run", () => {
  const { path, doc } = saved("hostile", "test/viewer/fixtures/hostileNames.ts");
  const out = join(work, "hostile-page.html");
  const r = pagerace("view", "-o", out, path);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, "utf8");
  assert.ok(JSON.stringify(doc).includes(HOSTILE), "the fixture's strings should reach the JSON");
  assert.equal(html.split("<img").length - 1, 0, "the model's <img> is in the page as markup");
  assert.equal(html.split("</script>").length - 1, 2, "only the two script elements may end");
  const { data, script } = parts(html);
  assert.deepEqual(JSON.parse(data), doc);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, "the page should set a content security policy");
  assert.match(csp, /default-src 'none'/);
  assert.ok(csp.includes(`'sha256-${createHash("sha256").update(script).digest("base64")}'`), "the policy should allow the inline script by its hash");
  assert.doesNotMatch(csp, /unsafe-inline'[^;]*;.*script|script-src[^;]*unsafe-inline/);
});

test("a file that is no viewer document is refused, naming the formats view draws", () => {
  const replay = join(work, "replay.json");
  writeFileSync(replay, JSON.stringify({ model: "SB", memoryModel: "sc", status: "complete" }));
  const r = pagerace("view", replay);
  assert.equal(r.code, 2);
  assert.match(r.err, /format missing: view draws pagerace-result, pagerace-scenarios, pagerace-litmus/);
  const bad = join(work, "bad.json");
  writeFileSync(bad, "{ not json");
  assert.match(pagerace("view", bad).err, /bad\.json: not JSON/);
  assert.match(pagerace("view", join(work, "missing.json")).err, /missing\.json: cannot be read/);
  assert.match(pagerace("view").err, /view needs one JSON file/);
});
