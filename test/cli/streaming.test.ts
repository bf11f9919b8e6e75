// `pagerace scenarios` prints each row as its variant finishes, in a table
// whose columns are sized before the first run, or with --json-lines one JSON
// object per row. The order of events is asserted, never a duration: the
// fixture's second variant waits for a gate file the test creates only once
// the first row has reached it (test/cli/fixtures/streamedScenarios.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pagerace } from "./pagerace.ts";

const CATALOGUE = ["--catalogue", "test/cli/fixtures/streamedScenarios.ts"];

interface Spawned {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  /** What happened, in order: "stdout" for each chunk of output, and the test's own actions. */
  readonly events: readonly string[];
}

/**
 * Runs `pagerace scenarios` (compiled); `react` sees stdout and stderr so far after
 * each chunk of either and may act (once it returns a name, it is not asked again).
 */
function run(args: readonly string[], env: NodeJS.ProcessEnv, react: (out: string, err: string, child: ReturnType<typeof spawn>) => string | undefined): Promise<Spawned> {
  const { PAGERACE_FROM_SOURCE: _, ...inherited } = process.env;
  const child = spawn(process.execPath, ["bin/pagerace.mjs", "scenarios", ...args], { env: { ...inherited, ...env } });
  let out = "";
  let err = "";
  let done = false;
  const events: string[] = [];
  const look = () => {
    if (done) return;
    const acted = react(out, err, child);
    if (acted !== undefined) {
      done = true;
      events.push(acted);
    }
  };
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    events.push("stdout");
    look();
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    look();
  });
  // Generous: a run that never streams must fail the test, not hang it.
  const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, out, err, events });
    });
  });
}

/** Opens the gate once `firstRow` is on stdout: the second variant can only finish after the first row was printed. */
async function gatedRun(args: readonly string[], firstRow: RegExp): Promise<Spawned> {
  const gate = join(mkdtempSync(join(tmpdir(), "pagerace-gate-")), "open");
  return run([...args, ...CATALOGUE, "950"], { PAGERACE_TEST_GATE: gate }, (out) => {
    if (!firstRow.test(out)) return undefined;
    writeFileSync(gate, "");
    return "gate opened";
  });
}

test("scenarios: the first row is printed while the next variant is still running", async () => {
  const r = await gatedRun([], /^950-S1 .* first .* OK$/m);
  assert.equal(r.code, 0, r.err + r.out);
  // The gate opened before the run ended, and more output (the gated row, the totals) followed it.
  const opened = r.events.indexOf("gate opened");
  assert.ok(opened > 0 && r.events.slice(opened).includes("stdout"), r.events.join(", "));
  assert.match(r.out, /^950-S1 +950 +gated +sc +verified +verified +2 +0 +\d+ +OK$/m);
  assert.match(r.out, /\n\n2 variants, all as expected \(\d+\.\d s\)\n$/);
  // Widths fixed in advance still align: every row's status starts where the rule's last column does.
  const lines = r.out.split("\n");
  const statusAt = lines[1]!.lastIndexOf(" ") + 1;
  assert.equal(lines[1]!.slice(statusAt), "-".repeat("as declared".length));
  for (const l of lines.filter((l) => l.startsWith("950-S1"))) assert.equal(l.indexOf("OK"), statusAt, l);
  // The verdict column has room for the widest verdict a row can show.
  assert.ok(lines[1]!.split("  ")[5]!.length >= "race found (assertion)".length, lines[1]);
});

test("scenarios --json-lines: a format line, one object per row as it finishes, the totals last", async () => {
  const r = await gatedRun(["--json-lines"], /"variant":"first"/);
  assert.equal(r.code, 0, r.err + r.out);
  assert.ok(r.events.includes("gate opened"), r.events.join(", "));
  const lines = r.out.trimEnd().split("\n");
  const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(objects[0], { format: "pagerace-scenarios-lines", version: 1, variants: 2 });
  const rows = objects.slice(1, -1);
  const totals = objects.at(-1)!.totals as { variants: number; asExpected: number; notAsExpected: number };
  assert.equal(rows.length, totals.variants);
  assert.deepEqual([totals.asExpected, totals.notAsExpected], [2, 0]);
  assert.deepEqual(
    rows.map((row) => row.variant),
    ["first", "gated"],
  );
  // The rows have the shape --json prints.
  const json = pagerace("scenarios", "--json", ...CATALOGUE, "950");
  const document = JSON.parse(json.out) as { rows: Record<string, unknown>[] };
  assert.deepEqual(
    rows.map((row) => Object.keys(row)),
    document.rows.map((row) => Object.keys(row)),
  );
});

test("scenarios --json with --json-lines is a usage error", () => {
  const r = pagerace("scenarios", "--json", "--json-lines", ...CATALOGUE);
  assert.equal(r.code, 2);
  assert.match(r.err, /--json and --json-lines: choose one/);
});

/** The huge middle variant under way (its progress line, counted 2 of 3, on stderr), the first row printed: send `signal`. */
function interrupted(args: readonly string[], signal: NodeJS.Signals): Promise<Spawned> {
  return run([...args, ...CATALOGUE, "951"], {}, (out, err, child) => {
    if (!/first/.test(out) || !/\[2\/3\] 951-S2 huge: [\d,]+ executions/.test(err)) return undefined;
    child.kill(signal);
    return signal;
  });
}

test("scenarios: SIGINT after streamed rows prints each row once, then the interruption, exit 130", async () => {
  const r = await interrupted([], "SIGINT");
  assert.equal(r.code, 130, r.err);
  const count = (re: RegExp) => r.out.split("\n").filter((l) => re.test(l)).length;
  assert.equal(count(/^scenario +seed +variant/), 1, r.out);
  assert.equal(count(/^951-S2 +951 +first +sc +verified +verified .* OK$/), 1, r.out);
  assert.equal(count(/^951-S2 +951 +huge +sc +verified +incomplete +[\d,]+ .* MISMATCH$/), 1, r.out);
  assert.equal(count(/never-started/), 0, r.out);
  assert.equal(count(/^INTERRUPTED by SIGINT: 2 of 3 variants shown/), 1, r.out);
});

test("scenarios --json-lines: SIGTERM ends the stream with the totals, marked interrupted, each row once, exit 143", async () => {
  const r = await interrupted(["--json-lines"], "SIGTERM");
  assert.equal(r.code, 143, r.err);
  const objects = r.out.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(objects[0]!.format, "pagerace-scenarios-lines");
  assert.deepEqual(
    objects.slice(1, -1).map((row) => [row.variant, row.found]),
    [
      ["first", "verified"],
      ["huge", "incomplete"],
    ],
  );
  const last = objects.at(-1)!;
  assert.equal((last.totals as { variants: number }).variants, 2);
  assert.match(String(last.interrupted), /^INTERRUPTED by SIGTERM: 2 of 3 variants shown/);
});

test("--json-lines: a command that cannot run ends its stream with the error document on one line, exit 2", () => {
  const r = pagerace("scenarios", "--json-lines", "999-Z9");
  assert.equal(r.code, 2, r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.out);
  const doc = JSON.parse(lines[0]!) as { format: string; error: { kind: string; message: string } };
  assert.equal(doc.format, "pagerace-error");
  assert.equal(doc.error.kind, "usage");
  assert.match(doc.error.message, /no scenario has an id starting with '999-Z9'/);
});
