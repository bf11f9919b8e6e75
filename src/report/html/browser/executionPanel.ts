// One violation or witness: what broke, the command that replays it, the
// step timeline and the execution graph side by side, stepped through in
// sync, with filters for threads, relations, and what the broken check
// depends on.

import { element } from "./elements.ts";
import { GraphView, type Viz } from "./graphView.ts";
import { eventNodeId, RELATIONS, type Relation } from "./graphDot.ts";
import { Stepper } from "./stepper.ts";
import { TimelineView } from "./timelineView.ts";
import type { ExecutionView } from "./viewerDocument.ts";

/** Beyond this many events, a graph starts with only what the broken check depends on. */
const LARGE_GRAPH = 80;

export class ExecutionPanel {
  readonly root: HTMLElement;
  readonly stepper: Stepper;
  private readonly timeline: TimelineView;
  private readonly graph: GraphView;
  private readonly hiddenThreads = new Set<number>();
  private readonly relations = new Set<Relation>(RELATIONS);
  private involvedOnly: boolean;
  /** For each event (by node id), the timeline row that shows it. */
  private readonly rowOfNode = new Map<string, number>();

  constructor(
    private readonly view: ExecutionView,
    viz: Viz,
  ) {
    const rows = view.timeline;
    rows.forEach((r, k) => r.events.forEach((i) => this.rowOfNode.set(eventNodeId(r.thread, i), k)));
    const eventCount = view.graph.events.reduce((n, es) => n + es.length, 0);
    this.involvedOnly = eventCount > LARGE_GRAPH && rows.some((r) => !r.involved);
    this.timeline = new TimelineView(view.graph.threads, rows);
    this.graph = new GraphView(viz, view.graph, view.title);
    this.stepper = new Stepper((k) => `${view.graph.threads[rows[k]!.thread] ?? ""}: ${rows[k]!.text}`);
    this.stepper.onChange((row) => this.highlight(row));
    this.root = element("section", { className: "execution", attributes: { "data-testid": "execution" } }, [
      element("h2", { text: view.title }),
      element("pre", { className: `message ${view.kind === "witness" ? "witness" : "broken"}`, text: view.message }),
      this.replayLine(),
      this.stepper.root,
      this.filters(),
      element("div", { className: "panes" }, [this.timeline.root, this.graph.root]),
    ]);
    this.redraw();
  }

  private replayLine(): HTMLElement | undefined {
    const command = this.view.replayCommand;
    if (command === undefined) return undefined;
    const copy = element("button", { text: "copy", attributes: { type: "button", title: "copy the command" } });
    copy.addEventListener("click", () => {
      navigator.clipboard?.writeText(command).then(
        () => (copy.textContent = "copied"),
        () => (copy.textContent = "select and copy"),
      );
    });
    return element("p", { className: "replay" }, ["replay: ", element("code", { text: command, attributes: { "data-testid": "replay-command" } }), " ", copy]);
  }

  private filters(): HTMLElement {
    const box = (label: string, checked: boolean, change: (on: boolean) => void, testId: string) => {
      const input = element("input", { attributes: { type: "checkbox", "data-testid": testId } });
      input.checked = checked;
      input.addEventListener("change", () => change(input.checked));
      return element("label", {}, [input, ` ${label}`]);
    };
    const threads = this.view.graph.threads.map((name, t) =>
      box(name, true, (on) => {
        if (on) this.hiddenThreads.delete(t);
        else this.hiddenThreads.add(t);
        this.redraw();
      }, `thread-${t}`),
    );
    const relations = RELATIONS.map((r) =>
      box(r, true, (on) => {
        if (on) this.relations.add(r);
        else this.relations.delete(r);
        this.graph.showRelations(this.relations);
      }, `relation-${r}`),
    );
    const involved = this.view.timeline.some((r) => !r.involved)
      ? box("only what the outcome depends on", this.involvedOnly, (on) => {
          this.involvedOnly = on;
          this.redraw();
        }, "involved-only")
      : undefined;
    return element("div", { className: "filters" }, [
      element("span", { className: "filter-group" }, [element("strong", { text: "threads " }), ...threads]),
      element("span", { className: "filter-group" }, [element("strong", { text: "relations " }), ...relations]),
      involved,
      this.zoomButtons(),
    ]);
  }

  /** Called once the panel is on the page, where sizes are known. */
  shown(): void {
    if (!this.scaled) this.graph.chooseScale();
    this.scaled = true;
  }

  private scaled = false;

  private zoomButtons(): HTMLElement {
    const button = (label: string, title: string, testId: string, zoom: () => number | "fit") => {
      const b = element("button", { text: label, attributes: { type: "button", title, "data-testid": testId } });
      b.addEventListener("click", () => this.graph.scale(zoom()));
      return b;
    };
    return element("span", { className: "filter-group zoom" }, [
      element("strong", { text: "graph " }),
      button("−", "smaller", "zoom-out", () => this.graph.factor / 1.25),
      button("+", "larger", "zoom-in", () => this.graph.factor * 1.25),
      button("fit", "as wide as the pane", "zoom-fit", () => "fit"),
      button("1:1", "actual size", "zoom-actual", () => 1),
    ]);
  }

  private rowShown = (k: number): boolean => {
    const r = this.view.timeline[k]!;
    return !this.hiddenThreads.has(r.thread) && (!this.involvedOnly || r.involved);
  };

  private redraw(): void {
    const rows = this.view.timeline;
    const threads = this.view.graph.threads.map((_, t) => t).filter((t) => !this.hiddenThreads.has(t));
    this.timeline.draw(threads, this.rowShown);
    this.graph.draw((t, i) => {
      const row = this.rowOfNode.get(eventNodeId(t, i));
      return !this.hiddenThreads.has(t) && (row === undefined ? !this.involvedOnly : this.rowShown(row));
    });
    this.graph.showRelations(this.relations);
    this.stepper.setPositions(rows.map((_, k) => k).filter((k) => rows[k]!.kind === "event" && this.rowShown(k)));
  }

  private highlight(row: number | undefined): void {
    this.timeline.highlight(row);
    this.graph.highlight((node) => {
      const k = this.rowOfNode.get(node);
      if (row === undefined || k === undefined) return "done";
      return k < row ? "done" : k === row ? "current" : "future";
    });
  }
}
