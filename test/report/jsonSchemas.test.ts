// The JSON documents the command line prints, checked against the schemas
// that document them (docs/schema/, described in docs/json.md). The CLI is
// run as users run it, on inputs chosen to reach each shape a document can
// take: a verified run, a violation with its graph, a deadlock, an LKMM data
// race, a bounded run, model errors, an interrupted run, replays, the
// catalogue, litmus tests (malformed and unreadable ones included) and usage
// errors, and the --json-lines stream. A schema that drifts from the code fails here with the
// validator's path to the offending field; and each schema must also reject
// a document that is plainly wrong, or it would pass anything.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { pagerace, type Ran } from "../cli/pagerace.ts";

const SCHEMA_DIR = "docs/schema";
type Format = "result" | "scenarios" | "scenarios-lines" | "litmus" | "error" | "replay";

// Strict mode (every strict check, strictRequired included, as a reader
// compiling the schemas with `strict: true` gets) makes a typo in a schema
// keyword, or a required field no schema defines, an error instead of a
// silently ignored annotation.
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const name of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json")))
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, name), "utf8")) as object);

function validator(format: Format): ValidateFunction {
  const v = ajv.getSchema(`pagerace-${format}.schema.json`);
  assert.ok(v, `no schema pagerace-${format}.schema.json in ${SCHEMA_DIR}`);
  return v;
}

/** The validator's errors, one per line with the path into the document, as a failure message. */
function explain(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join("\n");
}

function assertValid(format: Format, doc: unknown, what: string): void {
  const v = validator(format);
  if (!v(doc)) assert.fail(`${what}: not a valid pagerace-${format} document:\n${explain(v.errors)}`);
}

/** Runs the CLI, checks the exit code, and validates stdout (one JSON document) against the schema. */
function validates(format: Format, expectedCode: number, args: readonly string[]): unknown {
  const r: Ran = pagerace(...args);
  const what = `pagerace ${args.join(" ")}`;
  assert.equal(r.code, expectedCode, `${what}: exit ${r.code}\n${r.err}`);
  let doc: unknown;
  try {
    doc = JSON.parse(r.out);
  } catch {
    assert.fail(`${what}: stdout is not one JSON document:\n${r.out.slice(0, 500)}\n${r.err}`);
  }
  assertValid(format, doc, what);
  return doc;
}

interface Result {
  readonly model: string;
  readonly verdict: string;
  readonly bounded?: string | null;
  readonly violations?: readonly { readonly kind: string; readonly replayId: string | null }[];
  readonly dataRaces?: { readonly first: { readonly replayId: string | null } | null } | null;
}
const results = (doc: unknown) => (doc as { results: Result[] }).results;

test("check: verified, violation with its graph, deadlock", () => {
  const sb = validates("result", 0, ["check", "--json", "examples/storeBuffering.ts"]);
  assert.ok(results(sb).some((r) => r.verdict === "verified"));
  const ft = validates("result", 0, ["check", "--json", "examples/faultTruncate.ts"]);
  assert.ok(results(ft).some((r) => r.violations?.length), "faultTruncate should show a violation, so that graphs are validated");
  const locks = validates("result", 0, ["check", "--json", "examples/lockOrder.ts"]);
  assert.ok(results(locks).some((r) => r.violations?.some((v) => v.kind === "deadlock")), "lockOrder should deadlock, so that deadlock objects are validated");
  // --all keeps several violations per run, and every run: more graphs to validate.
  validates("result", 0, ["check", "--json", "--all", "--keep-violations", "3", "examples/lockOrder.ts"]);
});

test("check: an LKMM data race, as a warning and as a violation", () => {
  const warned = validates("result", 0, ["check", "--json", "--model", "lkmm", "test/cli/fixtures/dataRaces.ts"]);
  assert.ok(results(warned).some((r) => r.dataRaces?.first), "the plain payload should race, so that the race's graph is validated");
  validates("result", 1, ["check", "--json", "--model", "lkmm", "--races-are-violations", "test/cli/fixtures/dataRaces.ts"]);
});

test("check: a bounded run", () => {
  // The time limit ends lkmm-adders, whose LKMM executions are each slow to check, sooner than the execution count would.
  const doc = validates("result", 3, ["check", "--json", "--max-executions", "5", "--time-limit", "1", "test/cli/fixtures/budgets.ts"]);
  assert.ok(results(doc).every((r) => r.verdict === "not verified" && r.bounded !== null));
});

test("check: model errors, on their rows and as the error document", () => {
  const rows = validates("result", 2, ["check", "--json", "test/cli/fixtures/modelErrors.ts"]);
  assert.ok(results(rows).some((r) => r.verdict === "model error"));
  validates("result", 2, ["check", "--json", "test/fixtures/throwsInThread.ts"]);
  validates("error", 2, ["check", "--json", "test/fixtures/noModel.ts"]);
});

test("usage errors print the error document", () => {
  validates("error", 2, ["check", "--json", "--bogus"]);
  validates("error", 2, ["check", "--json", "--max-executions", "x", "examples/storeBuffering.ts"]);
  validates("error", 2, ["check", "--json", "no/such/file.ts"]);
  validates("error", 2, ["replay", "--json", "examples/storeBuffering.ts"]);
  validates("error", 2, ["scenario", "--json", "no-such-scenario"]);
  validates("error", 2, ["scenarios", "--json", "--seed", "999"]);
  validates("error", 2, ["litmus", "--json", "--bogus"]);
  validates("error", 2, ["no-such-command", "--json"]);
});

test("replay: a violation, a data race, a thread that throws", () => {
  const ft = results(validates("result", 0, ["check", "--json", "examples/faultTruncate.ts"]));
  const id = ft.flatMap((r) => r.violations ?? []).find((v) => v.replayId !== null)?.replayId;
  assert.ok(id);
  validates("replay", 1, ["replay", "--json", "examples/faultTruncate.ts", id]);
  const locks = results(validates("result", 0, ["check", "--json", "examples/lockOrder.ts"]));
  const deadlock = locks.flatMap((r) => r.violations ?? []).find((v) => v.kind === "deadlock" && v.replayId !== null)?.replayId;
  assert.ok(deadlock);
  validates("replay", 1, ["replay", "--json", "examples/lockOrder.ts", deadlock]);
  const races = results(validates("result", 0, ["check", "--json", "--model", "lkmm", "test/cli/fixtures/dataRaces.ts"]));
  const race = races.find((r) => r.dataRaces?.first?.replayId)?.dataRaces?.first?.replayId;
  assert.ok(race);
  const replayed = validates("replay", 0, ["replay", "--json", "test/cli/fixtures/dataRaces.ts", race]) as { dataRaces: unknown[] };
  assert.ok(replayed.dataRaces.length > 0);
  const thrown = results(validates("result", 2, ["check", "--json", "test/fixtures/throwsInThread.ts"]));
  const failing = (thrown[0] as unknown as { replayId: string | null }).replayId;
  assert.ok(failing);
  // The replay of a thread that throws still prints its execution (exit 2, a model error).
  validates("replay", 2, ["replay", "--json", "test/fixtures/throwsInThread.ts", failing]);
});

test("scenarios on one seed, scenario on one variant, and its replay", () => {
  const all = validates("scenarios", 0, ["scenarios", "--json", "--seed", "000"]) as { rows: { scenario: string; variant: string; replayId: string | null }[] };
  const raced = all.rows.find((r) => r.replayId !== null);
  assert.ok(raced, "seed 000 should have a race variant with a replay id");
  validates("scenarios", 0, ["scenario", "--json", "--variant", raced.variant, raced.scenario]);
  validates("scenarios", 0, ["scenario", "--json", "--variant", "fixed", raced.scenario]);
  validates("replay", 1, ["scenario", "--json", "--variant", raced.variant, "--replay", raced.replayId!, raced.scenario]);
});

test("scenarios --json-lines: a header, one row per variant, the totals", () => {
  const r = pagerace("scenarios", "--json-lines", "--seed", "000");
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  lines.forEach((line, i) => assertValid("scenarios-lines", line, `scenarios --json-lines, line ${i + 1}`));
  // Each line alone could be any of the three: the order is what tells them apart.
  const [header, ...rest] = lines;
  const totals = rest.pop();
  assert.equal(header!.format, "pagerace-scenarios-lines");
  assert.ok(totals && "totals" in totals, "the last line should be the totals");
  assert.equal(rest.length, header!.variants);
  assert.ok(rest.every((row) => "scenario" in row));
  // A streamed row never carries the run's whole result (scenario --json does).
  assert.equal(validator("scenarios-lines")({ ...rest[0], result: {} }), false, "a streamed row with a result");
});

const CORPUS = resolve("../shared/litmus");
const corpusReason = existsSync(CORPUS) ? false : `no litmus corpus at ${CORPUS}`;

test("litmus: corpus tests, a malformed one, an unreadable one", { skip: corpusReason }, () => {
  const pick = [
    "herdtools7-catalogue-linux/C-2+2W+o-o+o-o.litmus",
    "herdtools7-catalogue-linux/C-CCIRIW+o+o+o-o+o-o.litmus",
    "kernel/Documentation/litmus-tests/locking/DCL-broken.litmus",
    "kernel/Documentation/litmus-tests/atomic/cmpxchg-fail-ordered-1.litmus",
  ]
    .map((f) => join(CORPUS, f))
    .filter((f) => existsSync(f));
  assert.ok(pick.length > 0, `none of the chosen tests is in ${CORPUS}`);
  validates("litmus", 0, ["litmus", "--json", ...pick]);
  const dir = mkdtempSync(join(tmpdir(), "pagerace-json-"));
  const bad = join(dir, "bad.litmus");
  writeFileSync(bad, "C bad\n{\n}\nP0(int *x) { WRITE_ONCE(*x, ; }\nexists (x=1)\n");
  const doc = validates("litmus", 2, ["litmus", "--json", pick[0]!, bad, join(dir, "missing.litmus"), "test/fixtures/srcuGracePeriod.litmus"]) as {
    results: { status: string }[];
  };
  assert.deepEqual(
    doc.results.map((r) => r.status),
    ["run", "malformed", "unreadable", "run"],
  );
  // Under a time limit of its own: the same document.
  validates("litmus", 0, ["litmus", "--json", "--timeout", "60", pick[0]!]);
});

test("litmus: the repository's own tests, one of them past its time limit", () => {
  // manyWrites has tens of millions of executions: under --timeout 1 it is an incomplete entry (NOT VERIFIED, exit 3).
  const doc = validates("litmus", 3, ["litmus", "--json", "--timeout", "1", "test/fixtures/srcuGracePeriod.litmus", "test/fixtures/manyWrites.litmus"]) as {
    results: { status: string }[];
  };
  assert.deepEqual(
    doc.results.map((r) => r.status),
    ["run", "incomplete"],
  );
});

/** Runs `check --json` on a model that never ends, and interrupts it once the worker runs. */
function interrupted(): Promise<{ code: number | null; out: string }> {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const child = spawn(process.execPath, ["bin/pagerace.mjs", "check", "--json", "--model", "sc", "test/cli/fixtures/budgets.ts"], { env });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  // --json silences progress, so there is nothing on stderr to wait for: the
  // signal goes after a delay long enough for the worker to be exploring
  // (eight-adders has more executions than any test will wait for).
  const timer = setTimeout(() => child.kill("SIGINT"), 2500);
  return new Promise((done) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, out });
    }),
  );
}

test("check: an interrupted run", async () => {
  const r = await interrupted();
  assert.equal(r.code, 130, `expected the SIGINT exit code, got ${r.code}\n${r.out.slice(0, 300)}`);
  const doc = JSON.parse(r.out) as { interrupted?: string };
  assertValid("result", doc, "check --json interrupted");
  assert.match(doc.interrupted ?? "", /SIGINT/);
});

// Each schema must reject documents that are plainly wrong: the wrong
// format, a missing field, an unknown field, a value outside an enum.
const WRONG: readonly [Format, string, unknown][] = [
  ["result", "empty object", {}],
  ["result", "another format", { format: "pagerace-litmus", version: 2, results: [] }],
  ["result", "version 1", { format: "pagerace-result", version: 1, results: [] }],
  ["result", "a result missing its counts", { format: "pagerace-result", version: 2, results: [{ file: "f.ts", model: "m", memoryModel: "sc", verdict: "verified" }] }],
  ["scenarios", "rows not an array", { format: "pagerace-scenarios", version: 1, rows: {} }],
  ["litmus", "an unknown status", { format: "pagerace-litmus", version: 1, results: [{ file: "a.litmus", status: "maybe", message: "?" }] }],
  ["error", "an unknown kind", { format: "pagerace-error", version: 1, error: { kind: "oops", message: "m" } }],
  ["error", "an extra field", { format: "pagerace-error", version: 1, error: { kind: "usage", message: "m" }, detail: 1 }],
  ["replay", "a string", "replay"],
  ["scenarios-lines", "a whole --json document", { format: "pagerace-scenarios", version: 1, rows: [] }],
  ["scenarios-lines", "totals without counts", { totals: {} }],
];

test("each schema rejects a wrong document", () => {
  for (const [format, what, doc] of WRONG) assert.equal(validator(format)(doc), false, `pagerace-${format} accepted ${what}`);
});

test("each schema rejects a real document with one field broken", () => {
  // Real output, then one change each: an enum, a type, an extra field deep in a graph.
  const ft = JSON.parse(pagerace("check", "--json", "examples/faultTruncate.ts").out) as { results: Record<string, unknown>[] };
  const valid = validator("result");
  assert.ok(valid(ft), explain(valid.errors));
  const broken = (change: (d: typeof ft) => void) => {
    const copy = structuredClone(ft);
    change(copy);
    return copy;
  };
  assert.equal(valid(broken((d) => (d.results[0]!.verdict = "maybe"))), false, "verdict outside its enum");
  assert.equal(valid(broken((d) => (d.results[0]!.executions = "4"))), false, "executions as a string");
  assert.equal(valid(broken((d) => delete d.results[0]!.file)), false, "a check result without its file");
  assert.equal(valid(broken((d) => (d.results[0]!.violatingExecutions = -1))), false, "a negative count of violating executions");
  const withViolation = ft.results.findIndex((r) => (r.violations as unknown[]).length > 0);
  assert.ok(withViolation >= 0);
  const event = (d: typeof ft) => (d.results[withViolation]!.violations as { graph: { events: Record<string, unknown>[][] } }[])[0]!.graph.events[0]![0]!;
  assert.equal(valid(broken((d) => (event(d).extra = true))), false, "an unknown field in an event");
  assert.equal(valid(broken((d) => (event(d).kind = "X"))), false, "an event kind outside R, W, F");
  const litmus = { format: "pagerace-litmus", version: 1, results: [{ file: "a.litmus", status: "malformed", message: "a.litmus:1:1: expected C" }] };
  assert.equal(validator("litmus")(litmus), false, "a malformed entry without line and column");
});

// What the HTML viewer reads: each violation's timeline (every thread event
// in exactly one event row, rows naming real events), its replay command,
// each graph's initial values and event labels; litmus witnesses with
// --html; and the document every --html page embeds, for each command.

interface ViewerGraph {
  readonly threads: readonly string[];
  readonly locations: readonly string[];
  readonly initial: Readonly<Record<string, string>>;
  readonly events: readonly (readonly { readonly label: string }[])[];
}
interface ViewerRow {
  readonly thread: number;
  readonly kind: string;
  readonly events: readonly number[];
}

function assertTimelineCovers(graph: ViewerGraph, timeline: readonly ViewerRow[], what: string): void {
  const seen = new Map<string, number>();
  for (const row of timeline) {
    assert.ok(row.thread >= 0 && row.thread < graph.threads.length, `${what}: a row's thread ${row.thread} is no thread`);
    assert.equal(row.events.length > 0, row.kind === "event", `${what}: only event rows show events`);
    for (const i of row.events) {
      assert.ok(i < graph.events[row.thread]!.length, `${what}: event ${i} of thread ${row.thread} does not exist`);
      seen.set(`${row.thread}:${i}`, (seen.get(`${row.thread}:${i}`) ?? 0) + 1);
    }
  }
  graph.events.forEach((es, t) => es.forEach((_, i) => assert.equal(seen.get(`${t}:${i}`), 1, `${what}: event ${i} of thread ${t} should be in exactly one row`)));
  assert.deepEqual(Object.keys(graph.initial), graph.locations, `${what}: every location's initial value`);
  assert.ok(graph.events.flat().every((e) => typeof e.label === "string" && e.label.length > 0), `${what}: every event labelled`);
}

/** The document a page written by --html or view embeds. */
function embedded(htmlFile: string): unknown {
  const html = readFileSync(htmlFile, "utf8");
  const data = /<script type="application\/json" id="pagerace-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(data, `${htmlFile} embeds no document`);
  return JSON.parse(data[1]!);
}

test("check: violations and data races carry their timeline, replay command, initial values and labels", () => {
  for (const [args, code] of [
    [["examples/faultTruncate.ts"], 0],
    [["examples/lockOrder.ts"], 0],
    [["--model", "lkmm", "test/cli/fixtures/dataRaces.ts"], 0],
  ] as const) {
    const doc = validates("result", code, ["check", "--json", ...args]) as { results: (Result & { file: string; violations?: Record<string, unknown>[] })[] };
    let drawn = 0;
    for (const r of doc.results) {
      for (const v of r.violations ?? []) {
        assertTimelineCovers(v.graph as ViewerGraph, v.timeline as ViewerRow[], `${r.model} ${String(v.kind)}`);
        if (v.replayId !== null) assert.equal(v.replayCommand, `pagerace replay ${r.file} ${String(v.replayId)}`);
        drawn++;
      }
      const race = (r.dataRaces as { first: Record<string, unknown> | null } | null | undefined)?.first;
      if (race) {
        const rows = race.timeline as (ViewerRow & { racing: boolean })[];
        assertTimelineCovers(race.graph as ViewerGraph, rows, `${r.model} data race`);
        assert.ok(rows.some((row) => row.racing), "the racing accesses' rows are marked");
        drawn++;
      }
    }
    assert.ok(drawn > 0, `check ${args.join(" ")} should draw some execution`);
  }
});

test("--html embeds the document --json prints, valid for each command; litmus's with its witnesses", { skip: corpusReason }, () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-html-"));
  const page = (name: string) => join(dir, `${name}.html`);
  const check = validates("result", 0, ["check", "--json", "--html", page("check"), "examples/faultTruncate.ts"]);
  assert.deepEqual(embedded(page("check")), check);
  const scenario = validates("scenarios", 0, ["scenario", "--json", "--html", page("scenario"), "002-B3", "--variant", "buggy"]) as {
    rows: { result: { violations: { graph: ViewerGraph; timeline: ViewerRow[]; replayCommand: string }[] } }[];
  };
  assert.deepEqual(embedded(page("scenario")), scenario);
  const v = scenario.rows[0]!.result.violations[0]!;
  assertTimelineCovers(v.graph, v.timeline, "002-B3 buggy");
  assert.match(v.replayCommand, /^pagerace scenario 002-B3 --variant buggy --replay \S+$/);
  // scenarios prints a table; its page embeds the rows with their results.
  const r = pagerace("scenarios", "--quiet", "--seed", "002", "--html", page("scenarios"));
  assert.equal(r.code, 0, r.err);
  const rows = embedded(page("scenarios"));
  assertValid("scenarios", rows, "the document scenarios --html embeds");
  assert.ok((rows as { rows: { result: unknown }[] }).rows.every((row) => row.result !== undefined), "each row carries its result");

  const tests = join(CORPUS, "kernel/tools/memory-model/litmus-tests");
  const litmus = validates("litmus", 0, ["litmus", "--json", "--html", page("litmus"), join(tests, "SB+poonceonces.litmus"), join(tests, "MP+pooncerelease+poacquireonce.litmus")]) as {
    results: { observation: string; witness: { state: string; graph: ViewerGraph; timeline: ViewerRow[] } | null }[];
  };
  assert.deepEqual(embedded(page("litmus")), litmus);
  const [sb, mp] = litmus.results;
  assert.equal(sb!.observation, "Sometimes");
  assert.ok(sb!.witness, "SB's exists holds somewhere: a witness");
  assert.equal(sb!.witness.state, "0:r0=0; 1:r0=0;");
  assertTimelineCovers(sb!.witness.graph, sb!.witness.timeline, "SB's witness");
  assert.equal(mp!.observation, "Never");
  assert.equal(mp!.witness, null, "MP's exists never holds: no witness");
  // Without --html, litmus --json stays as it was.
  const plain = validates("litmus", 0, ["litmus", "--json", join(tests, "SB+poonceonces.litmus")]) as { results: Record<string, unknown>[] };
  assert.equal("witness" in plain.results[0]!, false);
});

test("the schemas reject a broken timeline row and a witness without its graph", () => {
  const ft = JSON.parse(pagerace("check", "--json", "examples/faultTruncate.ts").out) as { results: { violations: { timeline: Record<string, unknown>[] }[] }[] };
  const valid = validator("result");
  const at = ft.results.findIndex((r) => r.violations.length > 0);
  const copy = structuredClone(ft);
  copy.results[at]!.violations[0]!.timeline[0]!.kind = "heading";
  assert.equal(valid(copy), false, "a row kind outside step, event, end");
  const dir = mkdtempSync(join(tmpdir(), "pagerace-html-"));
  const real = validates("litmus", 0, ["litmus", "--json", "--html", join(dir, "srcu.html"), "test/fixtures/srcuGracePeriod.litmus"]) as { results: Record<string, unknown>[] };
  const litmus = (witness: unknown) => ({ ...real, results: [{ ...real.results[0]!, witness }] });
  assert.equal(validator("litmus")(litmus(null)), true, explain(validator("litmus").errors));
  assert.equal(validator("litmus")(litmus({ state: "x=1;" })), false, "a witness without its graph and timeline");
});
