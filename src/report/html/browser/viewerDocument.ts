// What the viewer reads: the JSON documents of docs/json.md (only the
// fields it draws), and what it makes of them: a verdict table and the
// executions worth stepping through (violations, an LKMM data race, litmus
// witnesses), whichever command printed the document.

import { fallbackTimeline } from "./fallbackTimeline.ts";

export type EventRef = { readonly thread: number; readonly index: number } | { readonly init: string };

export interface GraphEventJson {
  readonly kind: "R" | "W" | "F";
  readonly location: string | null;
  readonly value: string;
  readonly mode: string;
  readonly rmw: "none" | "read" | "write";
  readonly fence: string | null;
  readonly op: string | null;
  readonly step: string | null;
  readonly rf: EventRef | null;
  readonly label?: string;
}

export interface GraphJson {
  readonly threads: readonly string[];
  readonly locations: readonly string[];
  readonly initial?: Readonly<Record<string, string>>;
  readonly events: readonly (readonly GraphEventJson[])[];
  readonly co: Readonly<Record<string, readonly { readonly thread: number; readonly index: number }[]>>;
}

export interface TimelineRowJson {
  readonly thread: number;
  readonly kind: "step" | "event" | "end";
  readonly text: string;
  readonly events: readonly number[];
  readonly involved: boolean;
  readonly readsLater: boolean;
  readonly racing: boolean;
}

/** One execution to draw and step through. */
export interface ExecutionView {
  readonly title: string;
  /** `violation`, `data race` or `witness`. */
  readonly kind: string;
  readonly message: string;
  readonly replayCommand?: string;
  readonly graph: GraphJson;
  readonly timeline: readonly TimelineRowJson[];
}

export interface VerdictTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per row: whether it behaved as declared (true), did not (false), or declared nothing (undefined). */
  readonly judgements: readonly (boolean | undefined)[];
}

export interface ViewerContent {
  readonly heading: string;
  readonly note?: string;
  readonly table: VerdictTable;
  readonly executions: readonly ExecutionView[];
}

interface ViolationJson {
  readonly kind: string;
  readonly message: string;
  readonly replayId: string | null;
  readonly replayCommand?: string;
  readonly graph: GraphJson;
  readonly timeline?: readonly TimelineRowJson[];
}

interface RunJson {
  readonly file?: string;
  readonly model: string;
  readonly memoryModel: string;
  readonly expected: string | null;
  readonly verdict: string;
  readonly verdictText?: string;
  readonly judgement: string | null;
  readonly executions?: number;
  readonly elapsedMs?: number;
  readonly error?: string;
  readonly violations?: readonly ViolationJson[];
  readonly dataRaces?: {
    readonly executions: number;
    readonly first: { readonly replayId: string | null; readonly replayCommand?: string; readonly graph: GraphJson; readonly timeline?: readonly TimelineRowJson[] } | null;
  } | null;
}

interface ScenarioRowJson {
  readonly scenario: string;
  readonly variant: string;
  readonly title: string;
  readonly memoryModel: string;
  readonly expect: string;
  readonly raceKind: string | null;
  readonly found: string;
  readonly executions: number;
  readonly elapsedMs: number;
  readonly asDeclared: boolean;
  readonly reason: string | null;
  readonly replayId: string | null;
  readonly result?: RunJson | null;
}

interface LitmusEntryJson {
  readonly file: string;
  readonly status: string;
  readonly test?: string;
  readonly memoryModel?: string;
  readonly condition?: string;
  readonly observation?: string;
  readonly ok?: string;
  readonly positive?: number;
  readonly negative?: number;
  readonly states?: readonly string[];
  readonly message?: string;
  readonly incomplete?: string;
  readonly witness?: { readonly state: string; readonly graph: GraphJson; readonly timeline?: readonly TimelineRowJson[] } | null;
}

const text = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const ms = (v: number | undefined): string => (v === undefined ? "" : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);

export function viewerContent(doc: unknown): ViewerContent {
  const d = doc as { format?: string; interrupted?: string };
  switch (d.format) {
    case "pagerace-result":
      return resultContent(doc as { results: readonly RunJson[]; interrupted?: string });
    case "pagerace-scenarios":
      return scenariosContent(doc as { rows: readonly ScenarioRowJson[]; interrupted?: string });
    case "pagerace-litmus":
      return litmusContent(doc as { results: readonly LitmusEntryJson[] });
    default:
      throw new Error(`this page's data is no document the viewer draws (format ${JSON.stringify(d.format)})`);
  }
}

function runExecutions(r: RunJson, label: string, replay: (id: string) => string): ExecutionView[] {
  const out: ExecutionView[] = (r.violations ?? []).map((v, i, all) => ({
    title: `${label}: ${v.kind}${all.length > 1 ? ` ${i + 1}` : ""}`,
    kind: "violation",
    message: v.message,
    replayCommand: v.replayCommand ?? (v.replayId === null ? undefined : replay(v.replayId)),
    graph: v.graph,
    timeline: v.timeline ?? fallbackTimeline(v.graph),
  }));
  const race = r.dataRaces?.first;
  if (race && out.length === 0)
    out.push({
      title: `${label}: data race`,
      kind: "data race",
      message: `a data race (in ${r.dataRaces!.executions} execution${r.dataRaces!.executions === 1 ? "" : "s"}): the marked accesses are not ordered`,
      replayCommand: race.replayCommand ?? (race.replayId === null ? undefined : replay(race.replayId)),
      graph: race.graph,
      timeline: race.timeline ?? fallbackTimeline(race.graph),
    });
  return out;
}

function resultContent(doc: { results: readonly RunJson[]; interrupted?: string }): ViewerContent {
  const judged = (j: string | null) => (j === null ? undefined : j === "OK");
  return {
    heading: "pagerace check",
    note: doc.interrupted,
    table: {
      columns: ["file", "model", "memory model", "expected", "verdict", "judgement", "executions", "time"],
      rows: doc.results.map((r) => [text(r.file), r.model, r.memoryModel, text(r.expected), r.verdictText ?? r.verdict, text(r.judgement), text(r.executions), ms(r.elapsedMs)]),
      judgements: doc.results.map((r) => judged(r.judgement)),
    },
    executions: doc.results.flatMap((r) => runExecutions(r, `${r.model} [${r.memoryModel}]`, (id) => `pagerace replay ${r.file ?? "MODEL-FILE"} ${id}`)),
  };
}

function scenariosContent(doc: { rows: readonly ScenarioRowJson[]; interrupted?: string }): ViewerContent {
  return {
    heading: "pagerace scenarios",
    note: doc.interrupted,
    table: {
      columns: ["scenario", "variant", "memory model", "expected", "found", "judgement", "executions", "time"],
      rows: doc.rows.map((r) => [
        r.scenario,
        r.variant,
        r.memoryModel,
        r.raceKind === null ? r.expect : `${r.expect} (${r.raceKind})`,
        r.found,
        r.asDeclared ? "OK" : `MISMATCH${r.reason === null ? "" : `: ${r.reason}`}`,
        text(r.executions),
        ms(r.elapsedMs),
      ]),
      judgements: doc.rows.map((r) => r.asDeclared),
    },
    executions: doc.rows.flatMap((row) =>
      row.result ? runExecutions(row.result, `${row.scenario} ${row.variant} [${row.memoryModel}]`, (id) => `pagerace scenario ${row.scenario} --variant ${row.variant} --replay ${id}`) : [],
    ),
  };
}

function litmusContent(doc: { results: readonly LitmusEntryJson[] }): ViewerContent {
  const witnesses: ExecutionView[] = [];
  for (const e of doc.results) {
    if (!e.witness) continue;
    witnesses.push({
      title: `${e.test ?? e.file} [${e.memoryModel ?? ""}]: witness`,
      kind: "witness",
      // For `exists` this execution is what makes the test Sometimes; for `~exists` it is what breaks it.
      message: `${e.condition ?? ""}: its proposition holds in this execution (final state ${e.witness.state})`,
      graph: e.witness.graph,
      timeline: e.witness.timeline ?? fallbackTimeline(e.witness.graph),
    });
  }
  return {
    heading: "pagerace litmus",
    table: {
      columns: ["file", "test", "memory model", "condition", "observation", "positive", "negative", "states"],
      rows: doc.results.map((e) =>
        e.status === "run"
          ? [e.file, text(e.test), text(e.memoryModel), text(e.condition), `${text(e.observation)}${e.ok === undefined ? "" : ` (${e.ok})`}`, text(e.positive), text(e.negative), text(e.states?.length)]
          : [e.file, text(e.test), text(e.memoryModel), text(e.condition), e.status === "incomplete" ? `NOT VERIFIED: ${text(e.incomplete)}` : `${e.status}: ${text(e.message)}`, "", "", ""],
      ),
      judgements: doc.results.map((e) => (e.status === "run" ? undefined : false)),
    },
    executions: witnesses,
  };
}
