// The catalogue table: one line per variant — what it declares, what the
// exploration found, how much work that took, and whether the two agree —
// and a closing line with the totals and every disagreement spelt out.

import type { ScenarioRow } from "../catalogue/runScenarios.ts";
import type { Scenario, Variant } from "../catalogue/scenario.ts";
import type { ViolationKind } from "../checks/outcome.ts";
import { renderTable, streamedTable, type Column, type StreamedTable } from "./table.ts";

const n = (x: number) => x.toLocaleString("en-US");

export function expectedText(r: Pick<ScenarioRow, "expect" | "raceKind">): string {
  return r.expect === "verified" ? "verified" : r.raceKind === null ? "race" : `race (${r.raceKind})`;
}

export function foundText(r: Pick<ScenarioRow, "found" | "violationKind">): string {
  switch (r.found) {
    case "race":
      return `race found (${r.violationKind})`;
    case "verified":
      return "verified";
    case "bound":
      return "event bound hit";
    case "incomplete":
      return "incomplete";
    case "error":
      return "model error";
  }
}

const COLUMNS: readonly Column<ScenarioRow>[] = [
  { title: "scenario", cell: (r) => r.scenario },
  { title: "seed", cell: (r) => r.seed },
  { title: "variant", cell: (r) => r.variant },
  { title: "model", cell: (r) => r.memoryModel },
  { title: "expected", cell: expectedText },
  { title: "verdict", cell: foundText },
  { title: "executions", right: true, cell: (r) => n(r.executions) },
  { title: "blocked", right: true, cell: (r) => n(r.blocked) },
  { title: "time (ms)", right: true, cell: (r) => n(Math.round(r.elapsedMs)) },
  { title: "as declared", cell: (r) => (r.asDeclared ? "OK" : "MISMATCH") },
];

export function renderScenarioTable(rows: readonly ScenarioRow[]): string {
  return renderTable(COLUMNS, rows);
}

/** Every verdict text a row can show: the streamed table's verdict column is as wide as the widest, whatever the runs find. */
const VIOLATION_KINDS: Record<ViolationKind, true> = { assertion: true, invariant: true, deadlock: true, bound: true };
const VERDICT_TEXTS = [
  ...(["verified", "bound", "incomplete", "error"] as const).map((found) => foundText({ found, violationKind: null })),
  ...(Object.keys(VIOLATION_KINDS) as ViolationKind[]).map((kind) => foundText({ found: "race", violationKind: kind })),
];

/**
 * Room for counts up to 99,999,999 executions or blocked explorations and
 * 9,999,999 ms (2.7 hours) per variant; a larger one still prints whole.
 */
const NUMBER_WIDTHS = { executions: "99,999,999".length, blocked: "99,999,999".length, time: "9,999,999".length };

/**
 * The table `pagerace scenarios` prints a row at a time, as each variant
 * finishes. Its columns are sized before any runs: names and declarations
 * from the selected variants, the verdict from every text it can show, the
 * counts from NUMBER_WIDTHS.
 */
export function scenarioTableStream(selection: readonly { readonly scenario: Scenario; readonly variant: Variant }[]): StreamedTable<ScenarioRow> {
  const widest = (texts: readonly string[]) => Math.max(0, ...texts.map((t) => t.length));
  const expected = selection.map(({ variant }) => expectedText({ expect: variant.expect, raceKind: variant.raceKind ?? null }));
  return streamedTable(COLUMNS, [
    widest(selection.map((s) => s.scenario.id)),
    widest(selection.map((s) => s.scenario.seed)),
    widest(selection.map((s) => s.variant.name)),
    widest(selection.map((s) => s.variant.memoryModel)),
    widest(expected),
    widest(VERDICT_TEXTS),
    NUMBER_WIDTHS.executions,
    NUMBER_WIDTHS.blocked,
    NUMBER_WIDTHS.time,
    "MISMATCH".length,
  ]);
}

/** The closing line of `--json-lines`: the totals of the rows streamed before it. */
export function scenarioTotalsJson(rows: readonly ScenarioRow[]): { variants: number; asExpected: number; notAsExpected: number; elapsedMs: number } {
  const asExpected = rows.filter((r) => r.asDeclared).length;
  const elapsedMs = Math.round(rows.reduce((t, r) => t + r.elapsedMs, 0) * 1000) / 1000;
  return { variants: rows.length, asExpected, notAsExpected: rows.length - asExpected, elapsedMs };
}

/** `12 variants, all as expected (3.2 s)`, or the count and one line per mismatch with its reason. */
export function renderScenarioTotals(rows: readonly ScenarioRow[]): string {
  const ms = rows.reduce((t, r) => t + r.elapsedMs, 0);
  const time = `${(ms / 1000).toFixed(1)} s`;
  const variants = `${rows.length} variant${rows.length === 1 ? "" : "s"}`;
  const wrong = rows.filter((r) => !r.asDeclared);
  if (wrong.length === 0) return `${variants}, all as expected (${time})`;
  return [
    `${variants}, ${wrong.length} not as expected (${time}):`,
    ...wrong.map((r) => `  ${r.scenario} ${r.variant} [${r.memoryModel}]: ${r.reason}`),
  ].join("\n");
}

/** `--list`: the catalogue without running it — each scenario's title and invariant, then its variants with what they model. */
export function renderScenarioList(selection: readonly { readonly scenario: Scenario; readonly variant: Variant }[]): string {
  const out: string[] = [];
  let last: Scenario | undefined;
  for (const { scenario, variant } of selection) {
    if (scenario !== last) {
      out.push(`${out.length === 0 ? "" : "\n"}${scenario.id}  ${scenario.title}  [${scenario.invariant}]`);
      last = scenario;
    }
    const expect = expectedText({ expect: variant.expect, raceKind: variant.raceKind ?? null });
    out.push(`  ${variant.name.padEnd(28)} ${variant.memoryModel.padEnd(5)} ${variant.size.padEnd(8)} ${expect.padEnd(16)} ${variant.summary}`);
  }
  return out.join("\n");
}
