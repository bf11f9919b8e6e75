// One execution as a Graphviz cluster, in the shape herd7 users know: each
// thread's events in a column (a cluster per thread) in program order,
// labelled `a: W[once]x=1` (a letter, the kind, the access mode, location
// and value), and the relations between them: po, rf, co and fr, with an
// RMW's two halves joined by rmw. Initial writes appear, in a row above the
// threads, only when some edge touches them.

import type { Model } from "../../program/model.ts";
import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import type { GraphEvent } from "../../graph/event.ts";
import { valueText } from "../valueText.ts";

const EDGE_STYLE: Record<string, string> = {
  po: 'color="black"',
  rf: 'color="red", fontcolor="red"',
  co: 'color="blue", fontcolor="blue"',
  fr: 'color="darkorange", fontcolor="darkorange"',
  rmw: 'color="purple", fontcolor="purple", style="dashed"',
};

/** A DOT string literal: quotes and backslashes escaped, line breaks as DOT's `\n`, other controls dropped. */
export function dotString(text: string): string {
  const escaped = text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
  // eslint-disable-next-line no-control-regex
  return `"${escaped.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, "")}"`;
}

/** `a`, ..., `z`, `aa`, `ab`, ...: herd's event names. */
function letters(n: number): string {
  let s = "";
  for (let k = n; k >= 0; k = Math.floor(k / 26) - 1) s = String.fromCharCode(97 + (k % 26)) + s;
  return s;
}

export function eventLabel(model: Model, e: GraphEvent): string {
  if (e.kind === "F") return `F[${e.fence ?? "fence"}]`;
  const loc = model.locations[e.loc]!.name;
  const star = e.rmw === "none" ? "" : "*"; // herd marks the halves of an atomic RMW
  const kind = e.tid < 0 ? "W" : `${e.kind}${star}[${e.mode}]`;
  return `${kind}${loc}=${valueText(model, e.loc, e.value)}`;
}

/**
 * The statements of one execution's cluster, its node names prefixed with
 * `prefix` so that several executions can share one graph.
 */
export function executionCluster(model: Model, g: ExecutionGraph, prefix: string, title: string): string[] {
  const node = (e: GraphEvent) => (e.tid < 0 ? `${prefix}i${e.loc}` : `${prefix}t${e.tid}e${e.idx}`);
  const edges: string[] = [];
  const usedInits = new Set<GraphEvent>();
  const edge = (a: GraphEvent, b: GraphEvent, rel: keyof typeof EDGE_STYLE) => {
    if (a.tid < 0) usedInits.add(a);
    if (b.tid < 0) usedInits.add(b);
    edges.push(`${node(a)} -> ${node(b)} [label="${rel}", ${EDGE_STYLE[rel]}${rel === "po" ? ", weight=10" : ""}];`);
  };
  for (const t of g.threads)
    for (let i = 1; i < t.length; i++) {
      edge(t[i - 1]!, t[i]!, "po");
      if (t[i]!.rmw === "write") edge(t[i - 1]!, t[i]!, "rmw");
    }
  for (const t of g.threads)
    for (const e of t) {
      if (e.kind !== "R") continue;
      edge(g.event(e.rf), e, "rf");
      const co = g.co[e.loc]!;
      const next = co[co.indexOf(e.rf) + 1];
      if (next !== undefined) edge(e, g.event(next), "fr");
    }
  g.co.forEach((order) => {
    for (let k = 1; k < order.length; k++) edge(g.event(order[k - 1]!), g.event(order[k]!), "co");
  });
  let n = 0;
  const out = [`subgraph cluster_${prefix} {`, `  label=${dotString(title)};`];
  if (usedInits.size > 0) {
    out.push(`  subgraph cluster_${prefix}init {`, `    label="init"; style="dotted";`);
    for (const e of [...usedInits].sort((a, b) => a.loc - b.loc)) out.push(`    ${node(e)} [label=${dotString(eventLabel(model, e))}];`);
    out.push("  }");
  }
  g.threads.forEach((t, tid) => {
    if (t.length === 0) return;
    out.push(`  subgraph cluster_${prefix}t${tid} {`, `    label=${dotString(model.threads[tid]?.name ?? `P${tid}`)};`);
    for (const e of t) out.push(`    ${node(e)} [label=${dotString(`${letters(n++)}: ${eventLabel(model, e)}`)}];`);
    out.push("  }");
  });
  out.push(...edges.map((e) => `  ${e}`), "}");
  return out;
}

/** A whole DOT graph: one cluster per execution (none: a graph that says so). */
export function dotGraph(name: string, clusters: readonly string[][], empty: string): string {
  const body = clusters.length === 0 ? [`  note [shape=plaintext, label=${dotString(empty)}];`] : clusters.flat().map((l) => `  ${l}`);
  // newrank: Graphviz's older ranking fails ("trouble in init_rank") on clusters joined by rf/co/fr cycles.
  return [`digraph ${dotString(name)} {`, `  newrank=true;`, `  node [shape=plaintext, fontname="monospace"];`, `  edge [fontname="monospace", fontsize=10];`, ...body, "}", ""].join("\n");
}
