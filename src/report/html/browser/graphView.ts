// The execution graph as SVG, laid out by Graphviz (WebAssembly, bundled
// into the page): drawn again when the shown threads change, restyled
// (classes only) when the step or the shown relations change.

import type { instance } from "@viz-js/viz";
import { element } from "./elements.ts";
import { scrollIntoPane } from "./paneScroll.ts";
import { graphDot, RELATIONS, type DrawnEdge, type Relation } from "./graphDot.ts";
import type { GraphJson } from "./viewerDocument.ts";

export type Viz = Awaited<ReturnType<typeof instance>>;

/** Where an event stands as the execution is stepped through. */
export type EventPhase = "done" | "current" | "future";

export class GraphView {
  readonly root: HTMLElement;
  private edges: readonly DrawnEdge[] = [];
  private svg: SVGSVGElement | undefined;
  /** The drawing's own size, in points, as Graphviz wrote it. */
  private natural = { width: 0, height: 0 };
  /** A scale, or "fit": the whole graph as wide as the pane (never enlarged). */
  private zoom: number | "fit" = 1;

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
      this.natural = { width: parseFloat(this.svg.getAttribute("width") ?? "0"), height: parseFloat(this.svg.getAttribute("height") ?? "0") };
      this.root.append(this.svg);
      this.scale(this.zoom);
    } catch (e) {
      this.svg = undefined;
      this.root.append(element("p", { className: "error", text: `The graph could not be laid out: ${e instanceof Error ? e.message : String(e)}` }));
    }
  }

  /** Sets the drawing's scale (a factor, or "fit" to the pane's width); returns the factor in force. */
  scale(zoom: number | "fit"): number {
    this.zoom = zoom;
    if (this.svg === undefined || this.natural.width === 0) return 1;
    // Points to CSS pixels: Graphviz sizes in points (1/72 in), CSS pixels are 1/96 in.
    const px = { width: (this.natural.width * 4) / 3, height: (this.natural.height * 4) / 3 };
    const factor = zoom === "fit" ? Math.min(1, (this.root.clientWidth - 4) / px.width) : zoom;
    this.svg.setAttribute("width", `${px.width * factor}px`);
    this.svg.setAttribute("height", `${px.height * factor}px`);
    return factor;
  }

  /**
   * Once the pane is on the page (its width known): the whole graph when it
   * fits at a readable size (at least 60%), else its actual size, to scroll.
   */
  chooseScale(): void {
    const px = (this.natural.width * 4) / 3;
    if (px === 0 || this.root.clientWidth === 0) return;
    this.scale((this.root.clientWidth - 4) / px >= 0.6 ? "fit" : 1);
  }

  /** The scale in force, as a factor. */
  get factor(): number {
    if (this.zoom !== "fit") return this.zoom;
    const px = (this.natural.width * 4) / 3;
    return px === 0 ? 1 : Math.min(1, (this.root.clientWidth - 4) / px);
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
    if (current !== null) scrollIntoPane(this.root, current);
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
