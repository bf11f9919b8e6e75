// An execution graph as DOT for Graphviz, drawn as the DOT files of
// `check --dot` and `litmus -show` are (src/report/dot/executionDot.ts):
// one column (cluster) per thread in program order, initial writes in a row
// above, and the relations po, rf, co, fr and rmw. Every node and edge gets
// an id and classes (`ev`, `rel rel-rf`) so that the page can highlight the
// current event and hide a relation without laying the graph out again.
// Hidden threads' events, and edges that touch them, are left out.

import type { GraphJson } from "./viewerDocument.ts";

export const RELATIONS = ["po", "rf", "co", "fr", "rmw"] as const;
export type Relation = (typeof RELATIONS)[number];

const EDGE_STYLE: Readonly<Record<Relation, string>> = {
  po: 'color="#444444"',
  rf: 'color="#d32f2f", fontcolor="#d32f2f"',
  co: 'color="#1565c0", fontcolor="#1565c0"',
  fr: 'color="#ef6c00", fontcolor="#ef6c00"',
  rmw: 'color="#7b1fa2", fontcolor="#7b1fa2", style="dashed"',
};

export interface DrawnEdge {
  readonly id: string;
  readonly relation: Relation;
  readonly from: string;
  readonly to: string;
}

export interface GraphDrawing {
  readonly dot: string;
  readonly edges: readonly DrawnEdge[];
}

/** Node ids: `t<thread>e<index>` for a thread's event, `i<location index>` for an initial write. */
export const eventNodeId = (thread: number, index: number): string => `t${thread}e${index}`;

/**
 * A DOT string: quotes and backslashes escaped (a model's `\N` stays text), line breaks kept, other controls dropped.
 * The same rule as executionDot.ts's; written again here because the browser bundle takes nothing from the Node side.
 */
export function dotString(text: string): string {
  const escaped = text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
  // eslint-disable-next-line no-control-regex
  return `"${escaped.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, "")}"`;
}

function eventText(g: GraphJson, t: number, i: number): string {
  const e = g.events[t]![i]!;
  if (e.label !== undefined) return e.label;
  if (e.kind === "F") return `F[${e.fence ?? "fence"}]`;
  return `${e.kind}${e.rmw === "none" ? "" : "*"}[${e.mode}]${e.location ?? ""}=${e.value}`;
}

/** `shown(thread, index)`: whether an event is drawn (its thread shown, and involved when only those are). */
export function graphDot(g: GraphJson, shown: (thread: number, index: number) => boolean, title: string): GraphDrawing {
  const edges: DrawnEdge[] = [];
  const usedInits = new Set<string>();
  const nodeOf = (ref: { thread: number; index: number } | { init: string }): string | undefined => {
    if ("init" in ref) return `i${g.locations.indexOf(ref.init)}`;
    return shown(ref.thread, ref.index) ? eventNodeId(ref.thread, ref.index) : undefined;
  };
  const edge = (from: string | undefined, to: string | undefined, relation: Relation) => {
    if (from === undefined || to === undefined) return;
    for (const n of [from, to]) if (n.startsWith("i")) usedInits.add(n);
    edges.push({ id: `${relation}-${from}-${to}`, relation, from, to });
  };
  g.events.forEach((es, t) => {
    let previous: string | undefined;
    es.forEach((e, i) => {
      const node = nodeOf({ thread: t, index: i });
      if (node === undefined) return;
      // po between the shown events, so that a hidden event keeps the column joined.
      edge(previous, node, "po");
      if (e.rmw === "write" && i > 0) edge(nodeOf({ thread: t, index: i - 1 }), node, "rmw");
      previous = node;
    });
  });
  const coOf = (loc: string) => g.co[loc] ?? [];
  g.events.forEach((es, t) =>
    es.forEach((e, i) => {
      if (e.kind !== "R" || e.rf === null || e.location === null) return;
      const me = nodeOf({ thread: t, index: i });
      edge(nodeOf(e.rf), me, "rf");
      // fr: to the write coherence-after the one read from.
      const order = coOf(e.location);
      const at = "init" in e.rf ? -1 : order.findIndex((w) => w.thread === (e.rf as { thread: number }).thread && w.index === (e.rf as { index: number }).index);
      const next = order[at + 1];
      if (next !== undefined) edge(me, nodeOf(next), "fr");
    }),
  );
  for (const [loc, order] of Object.entries(g.co)) {
    const all = [{ init: loc } as const, ...order];
    for (let k = 1; k < all.length; k++) edge(nodeOf(all[k - 1]!), nodeOf(all[k]!), "co");
  }
  // Courier: a monospaced font whose widths Graphviz knows, so that labels fit their boxes (the page draws them in its own monospace, of the same widths).
  const lines = [
    `digraph ${dotString(title)} {`,
    "  newrank=true; rankdir=TB; nodesep=0.3; ranksep=0.35;",
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#777777", fontname="Courier", fontsize=11, margin="0.08,0.03"];',
    '  edge [fontname="Courier", fontsize=9, arrowsize=0.7];',
  ];
  if (usedInits.size > 0) {
    // A row of their own above the threads (a cluster would be placed among them).
    lines.push("  subgraph init { rank=source;");
    for (const n of [...usedInits].sort()) {
      const loc = g.locations[Number(n.slice(1))] ?? "?";
      const value = g.initial?.[loc];
      lines.push(`    ${n} [id="${n}", class="ev init", label=${dotString(`W${loc}=${value ?? "init"}`)}];`);
    }
    lines.push("  }");
  }
  g.events.forEach((es, t) => {
    const nodes = es.map((_, i) => i).filter((i) => shown(t, i));
    if (nodes.length === 0) return;
    lines.push(`  subgraph cluster_t${t} { label=${dotString(g.threads[t] ?? `P${t}`)}; color="#bbbbbb";`);
    for (const i of nodes) lines.push(`    ${eventNodeId(t, i)} [id="${eventNodeId(t, i)}", class="ev t${t}", label=${dotString(eventText(g, t, i))}];`);
    lines.push("  }");
  });
  for (const e of edges)
    lines.push(`  ${e.from} -> ${e.to} [id="${e.id}", class="rel rel-${e.relation}", label="${e.relation}", ${EDGE_STYLE[e.relation]}${e.relation === "po" ? ", weight=10" : ""}];`);
  lines.push("}");
  return { dot: lines.join("\n"), edges };
}
