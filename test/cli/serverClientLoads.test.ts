// What a client of the warm server loads: when the server runs its check,
// the client's process loads bin/'s two files and the client's bundle
// (dist/cli/server/serverClient.bundle.js) and no other module of
// pagerace's, so that its cost is node's start and little more. Every
// module a process loads is recorded by a module hook both the server and
// its client start with (NODE_OPTIONS, which the server's name takes in).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const BIN = resolve("bin/pagerace.mjs");
const PACKAGE = pathToFileURL(resolve(".")).href;
const folder = mkdtempSync(join(tmpdir(), "pagerace-client-loads-"));
chmodSync(folder, 0o700);
const loads = join(folder, "loads");

writeFileSync(
  join(folder, "hooks.mjs"),
  `import { appendFileSync } from "node:fs";
let file;
export function initialize(data) { file = data; }
export async function load(url, context, nextLoad) {
  appendFileSync(\`\${file}-\${process.pid}\`, url + "\\n");
  return nextLoad(url, context);
}
`,
);
writeFileSync(
  join(folder, "record.mjs"),
  `import { register } from "node:module";
register(${JSON.stringify(pathToFileURL(join(folder, "hooks.mjs")).href)}, { data: ${JSON.stringify(loads)} });
`,
);

function run(args: readonly string[], server: boolean): { code: number | null; out: string; err: string; pid: number } {
  const { PAGERACE_FROM_SOURCE: _, PAGERACE_NO_SERVER: __, ...env } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...env, PAGERACE_SERVER_DIR: folder, NODE_OPTIONS: `--import=${pathToFileURL(join(folder, "record.mjs")).href}`, ...(server ? {} : { PAGERACE_NO_SERVER: "1" }) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, pid: r.pid! };
}

/** The modules of pagerace's own that process `pid` loaded, relative to the package. */
function ownModules(pid: number): string[] {
  const urls = readFileSync(`${loads}-${pid}`, "utf8").trim().split("\n");
  return urls.filter((url) => url.startsWith(PACKAGE)).map((url) => url.slice(PACKAGE.length + 1));
}

before(() => {
  const started = run(["server", "--detach", "--idle-minutes", "5"], true);
  assert.equal(started.code, 0, started.out + started.err);
});

after(() => {
  run(["server", "--stop"], true);
  rmSync(folder, { recursive: true, force: true });
});

test("a check the server runs: its client loads bin/ and the client's bundle only", () => {
  const there = run(["check", "--json", "examples/storeBuffering.ts"], true);
  const status = run(["server", "--status", "--json"], true);
  assert.ok((JSON.parse(status.out) as { served: number }).served >= 1, there.err);
  assert.equal(JSON.parse(there.out).format, "pagerace-result");
  assert.deepEqual(ownModules(there.pid), ["bin/pagerace.mjs", "bin/entry.mjs", "dist/cli/server/serverClient.bundle.js"]);
  // The record itself is sound: the same check in its own process loads the command line and the engine.
  const here = run(["check", "--json", "examples/storeBuffering.ts"], false);
  assert.equal(here.code, there.code);
  const own = ownModules(here.pid);
  assert.ok(own.includes("dist/cli/main.js") && own.includes("dist/explore/optimalExplorer.js"), own.join(" "));
});
