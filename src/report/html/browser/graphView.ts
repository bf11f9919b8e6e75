// The execution graph as SVG, laid out by Graphviz (WebAssembly, bundled
// into the page): drawn again when the shown threads change, restyled
// (classes only) when the step or the shown relations change.

import type { instance } from "@viz-js/viz";
import { element } from "./elements.ts";
import { graphDot, RELATIONS, type DrawnEdge, type Relation } from "./graphDot.ts";
import type { GraphJson } from "./viewerDocument.ts";

export type Viz = Awaited<ReturnType<typeof instance>>;

/** Where an event stands as the execution is stepped through. */
export type EventPhase = "done" | "current" | "future";

export class GraphView {
  readonly root: HTMLElement;
  private edges: readonly DrawnEdge[] = [];
  private svg: SVGSVGElement | undefined;

  constructor(
    private readonly viz: Viz,
    private readonly graph: GraphJson,
    private readonly title: string,
  ) {
    this.root = element("div", { className: "graph", attributes: { "data-testid": "graph" } });
  }

  /** Lays the graph out again with only the events `shown` accepts. */
  draw(shown: (thread: number, index: number) => boolean): void {
    const drawing = graphDot(this.graph, shown, this.title);
    this.edges = drawing.edges;
    this.root.replaceChildren();
    try {
      this.svg = sanitized(this.viz.renderSVGElement(drawing.dot));
      this.root.append(this.svg);
    } catch (e) {
      this.svg = undefined;
      this.root.append(element("p", { className: "error", text: `The graph could not be laid out: ${e instanceof Error ? e.message : String(e)}` }));
    }
  }

  showRelations(shown: ReadonlySet<Relation>): void {
    for (const r of RELATIONS) this.root.classList.toggle(`hide-${r}`, !shown.has(r));
  }

  /** Marks each node with its phase; an edge is future when either end is, current when it ends at a current event. */
  highlight(phase: (nodeId: string) => EventPhase): void {
    if (this.svg === undefined) return;
    for (const node of this.svg.querySelectorAll<SVGGElement>("g.ev")) {
      const p = node.id.startsWith("i") ? "done" : phase(node.id);
      setPhase(node, p);
    }
    for (const e of this.edges) {
      const g = this.svg.getElementById(e.id);
      if (g === null) continue;
      const ends = [e.from, e.to].map((n) => (n.startsWith("i") ? "done" : phase(n)));
      setPhase(g, ends.includes("future") ? "future" : ends.includes("current") ? "current" : "done");
    }
    const current = this.svg.querySelector("g.ev.current");
    current?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

function setPhase(node: Element, phase: EventPhase): void {
  node.classList.toggle("done", phase === "done");
  node.classList.toggle("current", phase === "current");
  node.classList.toggle("future", phase === "future");
}

/**
 * Graphviz writes labels as escaped text, and the DOT sets no links; still,
 * nothing that could run is let into the page: scripts, foreign objects,
 * event-handler attributes and links that leave the document go.
 */
function sanitized(svg: SVGSVGElement): SVGSVGElement {
  for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
  for (const e of [svg, ...svg.querySelectorAll("*")])
    for (const a of [...e.attributes]) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on") || ((name === "href" || name === "xlink:href") && !a.value.startsWith("#"))) e.removeAttribute(a.name);
    }
  return svg;
}
