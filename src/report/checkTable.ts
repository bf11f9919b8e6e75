// `check`'s table: one line per run (a model under one memory model) — what
// it declares, what the exploration found, the work it took, and, when the
// model declared something, whether the two agree — and the closing line.

import { groupDigits } from "./groupDigits.ts";
import type { Expectation } from "../program/model.ts";
import type { Found, Judgement } from "./verdict.ts";
import { renderTable, type Column } from "./table.ts";

/** One line of the table; plain data, as in JSON. */
export interface CheckRow {
  readonly file: string;
  readonly model: string;
  readonly memoryModel: string;
  readonly expected: Expectation | null;
  readonly found: Found;
  /** The verdict as the table shows it: `verified`, `violation (deadlock)`, `NOT VERIFIED (bounded: ...)`, `verified, data race`. */
  readonly verdict: string;
  readonly executions: number;
  readonly blocked: number;
  /** Complete executions with a data race (LKMM), when they were looked for. */
  readonly dataRaces: number | null;
  /** The whole run: pre-check, exploration, and drawing its report. */
  readonly elapsedMs: number;
  /** Null when the model declared nothing for this run. */
  readonly judgement: Judgement | null;
}

const n = groupDigits;

export function renderCheckTable(rows: readonly CheckRow[]): string {
  const columns: Column<CheckRow>[] = [
    { title: "model", cell: (r) => r.model },
    { title: "memory model", cell: (r) => r.memoryModel },
  ];
  const declared = rows.some((r) => r.expected !== null);
  if (declared) columns.push({ title: "expected", cell: (r) => r.expected ?? "—" });
  columns.push(
    { title: "verdict", cell: (r) => r.verdict },
    // A run that failed has no counts to show (its JSON result has none either).
    { title: "executions", right: true, cell: (r) => (r.found === "model error" ? "—" : n(r.executions)) },
    { title: "blocked", right: true, cell: (r) => (r.found === "model error" ? "—" : n(r.blocked)) },
    { title: "time (ms)", right: true, cell: (r) => n(Math.round(r.elapsedMs)) },
  );
  // No such column when nothing was declared: there is nothing to agree with.
  if (declared) columns.push({ title: "as declared", cell: (r) => r.judgement ?? "" });
  return renderTable(columns, rows);
}

/**
 * `all 3 runs behaved as declared (0.4 s)` when every run declared what it
 * expects and got it; otherwise the counts (`2 verified, 1 with
 * violations`), and one line per run that did not behave as declared.
 */
export function renderCheckTotals(rows: readonly CheckRow[], wallMs: number): string {
  const time = `(${(wallMs / 1000).toFixed(1)} s)`;
  const runs = (k: number) => `${k} run${k === 1 ? "" : "s"}`;
  const declared = rows.filter((r) => r.judgement !== null);
  const off = declared.filter((r) => r.judgement !== "OK");
  if (rows.length > 0 && declared.length === rows.length && off.length === 0) return `all ${runs(rows.length)} behaved as declared ${time}`;
  const count = (f: Found) => rows.filter((r) => r.found === f).length;
  const parts = [`${count("verified")} verified`, `${count("violation")} with violations`];
  if (count("not verified") > 0) parts.push(`${count("not verified")} not verified`);
  if (count("model error") > 0) parts.push(`${count("model error")} with model errors`);
  const head = `${runs(rows.length)}: ${parts.join(", ")}` + (declared.length === 0 ? "" : `; ${declared.length - off.length} of ${declared.length} declared behaved as declared`) + ` ${time}`;
  return [head + (off.length > 0 ? ":" : ""), ...off.map((r) => `  ${r.model} [${r.memoryModel}]: expected ${r.expected}, ${r.judgement === "INCOMPLETE" || r.judgement === "ERROR" ? "but" : "found"} ${r.verdict}`)].join("\n");
}
