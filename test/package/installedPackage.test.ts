// pagerace as a dependency: the tarball `npm pack` makes, installed into a
// project outside the checkout, imports from plain Node, type-checks under a
// consumer's strict settings, and its bin checks the project's own models
// (JavaScript and TypeScript) from the compiled files, sharing their modules.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const checkout = fileURLToPath(new URL("../..", import.meta.url));
const version = (JSON.parse(readFileSync(join(checkout, "package.json"), "utf8")) as { version: string }).version;
const npmFound = (process.env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, "npm")));
const skip = npmFound ? false : "npm is not on PATH: cannot pack and install pagerace";
/** A second Node to run the installed package with (.ci/run fetches Node 22 from the npm registry). */
const otherNode = process.env.PAGERACE_OTHER_NODE;
const skipOtherNode = skip || (otherNode === undefined ? "PAGERACE_OTHER_NODE is not set (.ci/run sets it to a Node 22 binary)" : false);

/** What the tests below run in: a consumer would not have the checkout's test settings. */
const env = { ...process.env };
delete env.PAGERACE_FROM_SOURCE;
delete env.NODE_OPTIONS;

let work = "";
let project = "";
let packed: { path: string }[] = [];

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function run(command: string, args: readonly string[], cwd = project): Run {
  const r = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 180_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const npm = (...args: string[]) => run("npm", args);
const npx = (...args: string[]) => run("npx", ["--no-install", ...args]);
const node = (...args: string[]) => run(process.execPath, args);

function show(r: Run): string {
  return `exit ${r.code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}`;
}

function write(name: string, text: string): void {
  writeFileSync(join(project, name), text);
}

/** Runs `body` with `path` moved out of the way, to show that nothing needs it. */
function without<T>(path: string, body: () => T): T {
  const aside = `${path}.aside`;
  renameSync(path, aside);
  try {
    return body();
  } finally {
    renameSync(aside, path);
  }
}

function duBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + duBytes(join(path, name)), 0);
}

before(() => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), "pagerace-package-"));
  const pack = run("npm", ["pack", "--json", "--pack-destination", work], checkout);
  assert.equal(pack.code, 0, show(pack));
  // npm prints the prepack script's banner before the JSON.
  const listing = JSON.parse(pack.out.slice(pack.out.indexOf("[\n"))) as { filename: string; files: { path: string }[] }[];
  packed = listing[0]!.files;
  project = join(work, "consumer");
  mkdirSync(project);
  write("package.json", JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  const install = npm("install", join(work, listing[0]!.filename), "--prefer-offline", "--no-audit", "--no-fund");
  assert.equal(install.code, 0, show(install));
  // The package runs nothing at install: its build happens before packing.
  assert.doesNotMatch(install.err, /install scripts|install-scripts/, show(install));
});

after(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

test("the tarball holds compiled JavaScript, declarations, the bin, the licence and the docs the README links, and nothing else of the checkout's", { skip }, () => {
  const paths = new Set(packed.map((f) => f.path));
  for (const p of ["LICENSE", "README.md", "package.json", "bin/pagerace.mjs", "bin/worker.mjs", "dist/index.js", "dist/index.d.ts", "dist/kernel/index.d.ts", "dist/mm/index.js", "dist/cli/main.js", "dist/cli/typeScriptHooks.js"])
    assert.ok(paths.has(p), `${p} is not packed`);
  // Every document the README links to (but images) is in the package, for readers of the installed README.
  const linked = [...readFileSync(join(checkout, "README.md"), "utf8").matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]!).filter((p) => !p.endsWith(".png"));
  assert.ok(linked.length > 0, "the README links no docs");
  for (const p of linked) assert.ok(paths.has(p), `${p}, which the README links, is not packed`);
  const stray = [...paths].filter((p) => !/^(LICENSE|README\.md|package\.json|bin\/[^/]+\.mjs|dist\/.+\.(js|d\.ts)|dist\/report\/html\/viewerScript\.js\.gz|docs\/[^/]+\.md|docs\/schema\/[^/]+\.schema\.json)$/.test(p));
  assert.deepEqual(stray, []);
  // Declarations name the .js files that exist beside them.
  assert.doesNotMatch(readFileSync(join(project, "node_modules/pagerace/dist/index.d.ts"), "utf8"), /from "\.[^"]*\.ts"/);
});

test("installed, pagerace brings no compiler: its dependencies are a type stripper of a few MB", { skip }, () => {
  const modules = join(project, "node_modules");
  for (const heavy of ["esbuild", "@esbuild", "tsx", "typescript"]) assert.ok(!existsSync(join(modules, heavy)), `${heavy} is installed`);
  assert.ok(existsSync(join(modules, "sucrase")));
  const mb = duBytes(modules) / 2 ** 20;
  assert.ok(mb < 6, `node_modules holds ${mb.toFixed(1)} MB`);
});

test("npx pagerace --version and --help answer from the installed bin", { skip }, () => {
  for (const flag of ["--version", "-v"]) {
    const r = npx("pagerace", flag);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.out.trim(), `pagerace ${version}`);
  }
  const help = npx("pagerace", "check", "--help");
  assert.equal(help.code, 0, show(help));
  assert.match(help.out, /^pagerace check \[options\]/);
});

test("a plain JavaScript model is checked without the TypeScript loader: a lost update, exit 1 with a replay id", { skip }, () => {
  write(
    "lostUpdate.mjs",
    `import { model } from "pagerace";

export default model("lost update", (m) => {
  const count = m.location("count");
  for (const name of ["A", "B"])
    m.thread(name, function* (t) {
      const v = yield* t.read(count);
      yield* t.write(count, v + 1);
    });
  m.forall("both increments count", (s) => s.int(count) === 2);
});
`,
  );
  const r = without(join(project, "node_modules/sucrase"), () => npx("pagerace", "check", "lostUpdate.mjs"));
  assert.equal(r.code, 1, show(r));
  assert.match(r.out, /both increments count/);
  assert.match(r.out, /replay: pagerace replay lostUpdate\.mjs \S+/);
});

test("the installed package writes the HTML viewer with its layout library inside (bundled when packed)", { skip }, () => {
  const r = npx("pagerace", "check", "--html", "race.html", "lostUpdate.mjs");
  assert.equal(r.code, 1, show(r));
  const html = readFileSync(join(project, "race.html"), "utf8");
  assert.match(html, /<script type="application\/json" id="pagerace-data">/);
  assert.ok(html.includes("both increments count"));
  assert.ok(html.length > 500_000, "the page should carry Graphviz");
});

test("the README's first model, copied verbatim into model.ts, verifies", { skip }, () => {
  const readme = readFileSync(join(checkout, "README.md"), "utf8");
  const code = /^## A model\s+```ts\n([\s\S]*?)```/m.exec(readme)?.[1];
  assert.ok(code !== undefined, "README has no ts block under '## A model'");
  write("model.ts", code);
  const r = npx("pagerace", "check", "model.ts");
  assert.equal(r.code, 0, show(r));
  assert.match(r.out, /verified/);
});

test("a TypeScript model on pagerace/kernel, with an enum and a nodenext-style import of a sibling .ts, verifies", { skip }, () => {
  write(
    "increment.ts",
    `import type { Access, Loc, ThreadContext } from "pagerace";
import { spinLock, spinUnlock } from "pagerace/kernel";

export function* lockedIncrement(t: ThreadContext, lock: Loc, count: Loc): Access<void> {
  t.step("spin_lock; count++; spin_unlock");
  yield* spinLock(t, lock);
  const v: number = yield* t.read(count);
  yield* t.write(count, v + 1);
  yield* spinUnlock(t, lock);
}
`,
  );
  write(
    "counter.ts",
    `import { model, type Model } from "pagerace";
import { lockedIncrement } from "./increment.js";

enum Cpu { A = "cpu0", B = "cpu1" }

export const counter: Model = model("spinlocked counter", (m) => {
  const lock = m.location("lock");
  const count = m.location("count");
  for (const cpu of [Cpu.A, Cpu.B]) m.thread(cpu, (t) => lockedIncrement(t, lock, count));
  m.forall("no increment is lost", (s) => s.int(count) === 2);
});
`,
  );
  const r = npx("pagerace", "check", "counter.ts");
  assert.equal(r.code, 0, show(r));
  assert.match(r.out, /spinlocked counter .*verified/);
});

test("kernel misuse in a model (unlock_page of an unlocked page, pagerace/mm) is a violation with its trace and replay id", { skip }, () => {
  write(
    "misuse.ts",
    `import { model } from "pagerace";
import { Machine, lockPage, unlockPage } from "pagerace/mm";

export default model("unlock_page twice", (m) => {
  const machine = new Machine(m);
  const page = machine.page("page0");
  m.thread("truncate", function* (t) {
    t.step("lock_page");
    yield* lockPage(t, page);
    t.step("unlock_page");
    yield* unlockPage(t, page);
    t.step("unlock_page again");
    yield* unlockPage(t, page);
  });
  m.thread("reader", function* (t) {
    t.step("lock_page");
    yield* lockPage(t, page);
    yield* unlockPage(t, page);
  });
});
`,
  );
  const r = npx("pagerace", "check", "misuse.ts");
  assert.equal(r.code, 1, show(r));
  assert.match(r.out, /misuse: unlock_page\(PG_locked\(page0\)\) on an unlocked/);
  // The trace: the truncate's steps; the reader, which the failed assertion does not depend on, folded to one line.
  assert.match(r.out, /^truncate +unlock_page again: /m, "no trace");
  assert.match(r.out, /not involved, not drawn: reader \(1 step\)/);
  const id = /replay: pagerace replay misuse\.ts (\S+)/.exec(r.out)?.[1];
  assert.ok(id !== undefined, show(r));
  const again = npx("pagerace", "replay", "misuse.ts", id);
  assert.equal(again.code, 1, show(again));
  assert.match(again.out, /misuse: unlock_page/);
});

test("a model outside any project with pagerace imports the checker's own copy: its misuse is still a violation", { skip }, () => {
  // In the temporary folder above the project, where Node finds no pagerace.
  writeFileSync(
    join(work, "outside.mjs"),
    `import { model } from "pagerace";
import { spinUnlock } from "pagerace/kernel";

export default model("spin_unlock unheld", (m) => {
  const lock = m.location("lock");
  m.thread("T", (t) => spinUnlock(t, lock));
});
`,
  );
  const r = npx("pagerace", "check", join(work, "outside.mjs"));
  assert.equal(r.code, 1, show(r));
  assert.match(r.out, /misuse: releasing lock \(spinlock\), which T does not hold/);
});

test("the installed bin runs the compiled files alone: no src/ to fall back on", { skip }, () => {
  assert.ok(!existsSync(join(project, "node_modules/pagerace/src")));
  const r = npx("pagerace", "check", "counter.ts");
  assert.equal(r.code, 0, show(r));
});

test("tsc type-checks a consumer under tsc --init's strict settings, through the exports' declarations", { skip }, () => {
  write(
    "api.ts",
    `import { explore, lkmm, model, renderColumns, replay, tso, type ExplorationResult, type MemoryModel, type Outcome } from "pagerace";
import { atomicAddReturn, smpMb } from "pagerace/kernel";
import { Machine, lockPage } from "pagerace/mm";
import { scenarios, type Scenario } from "pagerace/catalogue";

const sb = model("SB", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("P0", function* (t) {
    yield* t.write(x, 1, "once");
    yield* smpMb(t);
    return { r0: yield* t.read(y, "once") };
  });
  m.thread("P1", function* (t) {
    yield* atomicAddReturn(t, y, 1);
    return { r1: yield* t.read(x, "once") };
  });
  m.forall("not both 0", (s) => !(s.result("P0")?.r0 === 0 && s.result("P1")?.r1 === 0));
});
const memoryModels: readonly MemoryModel[] = [tso, lkmm];
const results: ExplorationResult[] = memoryModels.map((memoryModel) => explore(sb, { memoryModel }));
const first = results[0]?.violations[0];
if (first !== undefined) console.log(renderColumns(sb, first.graph, first.outcome));

export const paged = model("page lock", (m) => {
  const page = new Machine(m).page("page0");
  m.thread("T", (t) => lockPage(t, page));
});
export function outcomeOf(id: string): Outcome {
  return replay(sb, id).outcome;
}
export const catalogue: readonly Scenario[] = scenarios;
`,
  );
  const tsc = join(checkout, "node_modules/typescript/bin/tsc");
  const init = node(tsc, "--init");
  assert.equal(init.code, 0, show(init));
  const config = readFileSync(join(project, "tsconfig.json"), "utf8");
  assert.match(config, /"module": "nodenext"/);
  assert.match(config, /"strict": true/);
  for (const skipLibCheck of ["true", "false"]) {
    const r = node(tsc, "--noEmit", "--listFiles", "--skipLibCheck", skipLibCheck, "-p", project);
    assert.equal(r.code, 0, `skipLibCheck ${skipLibCheck}\n${show(r)}`);
    for (const d of ["dist/index.d.ts", "dist/kernel/index.d.ts", "dist/mm/index.d.ts", "dist/catalogue/index.d.ts"]) assert.match(r.out, new RegExp(`node_modules/pagerace/${d}`));
  }
});

test("plain Node imports pagerace and its subpaths; require() works where Node can require ES modules", { skip }, () => {
  const imported = node("-e", `Promise.all(["pagerace", "pagerace/kernel", "pagerace/mm", "pagerace/catalogue", "pagerace/litmus"].map((p) => import(p))).then(([p, k, mm, c, l]) => console.log(typeof p.model, typeof p.explore, p.lkmm.name, typeof k.spinLock, typeof mm.Machine, c.scenarios.length > 0, typeof l.parseLitmus))`);
  assert.equal(imported.code, 0, show(imported));
  assert.equal(imported.out.trim(), "function function lkmm function function true function");
  const required = node("-e", `console.log(typeof require("pagerace").model)`);
  if ((process.features as { require_module?: boolean }).require_module) {
    assert.equal(required.code, 0, show(required));
    assert.equal(required.out.trim(), "function");
  } else {
    assert.notEqual(required.code, 0);
    assert.match(required.err, /ERR_REQUIRE_ESM/);
  }
});

test("under the other Node (22), the installed bin, a JavaScript and a TypeScript model, import and require all work", { skip: skipOtherNode }, () => {
  const other = (...args: string[]) => run(otherNode!, args);
  const bin = join(project, "node_modules/pagerace/bin/pagerace.mjs");
  const v = other("--version");
  assert.equal(v.code, 0, show(v));
  assert.notEqual(v.out.trim(), process.version, "the other Node is this one");
  const ver = other(bin, "--version");
  assert.equal(ver.out.trim(), `pagerace ${version}`, show(ver));
  const js = other(bin, "check", "lostUpdate.mjs");
  assert.equal(js.code, 1, show(js));
  assert.match(js.out, /replay: pagerace replay lostUpdate\.mjs \S+/);
  const ts = other(bin, "check", "model.ts");
  assert.equal(ts.code, 0, show(ts));
  const imported = other("-e", `import("pagerace/mm").then((mm) => console.log(typeof mm.Machine))`);
  assert.equal(imported.out.trim(), "function", show(imported));
  const required = other("-e", `console.log(typeof require("pagerace").model)`);
  assert.equal(required.out.trim(), "function", show(required));
});
