// The step timeline as the text trace draws it (src/report/timeline.ts):
// one column per thread, time running down, step labels as headings, each
// read with the write it read from. The current row is highlighted, rows
// not yet reached are dimmed, and rows the broken check does not depend on
// are greyed (or left out, when only those it depends on are shown).

import { element } from "./elements.ts";
import { scrollIntoPane } from "./paneScroll.ts";
import type { TimelineRowJson } from "./viewerDocument.ts";

export class TimelineView {
  readonly root: HTMLElement;
  private readonly cells = new Map<number, HTMLTableRowElement>();

  constructor(
    private readonly threads: readonly string[],
    private readonly rows: readonly TimelineRowJson[],
  ) {
    this.root = element("div", { className: "timeline", attributes: { "data-testid": "timeline" } });
  }

  /** Draws the rows `shown` accepts, in the columns of `threadsShown`. */
  draw(threadsShown: readonly number[], shown: (row: number) => boolean): void {
    this.cells.clear();
    const head = element("tr", {}, threadsShown.map((t) => element("th", { text: this.threads[t] ?? `P${t}`, attributes: { "data-thread": String(t) } })));
    const body = element("tbody");
    this.rows.forEach((r, k) => {
      if (!shown(k)) return;
      const tr = element("tr", { className: `row ${r.kind}${r.involved ? "" : " uninvolved"}${r.racing ? " racing" : ""}`, attributes: { "data-row": String(k) } });
      for (const t of threadsShown) {
        const text = t !== r.thread ? "" : r.kind === "step" ? `${r.text}:` : `${r.text}${r.readsLater ? " *" : ""}${r.racing ? " [RACE]" : ""}`;
        tr.append(element("td", { text, attributes: t === r.thread ? { "data-thread": String(t) } : {} }));
      }
      this.cells.set(k, tr);
      body.append(tr);
    });
    this.root.replaceChildren(element("table", {}, [element("thead", {}, [head]), body]));
    if (this.rows.some((r) => r.readsLater)) this.root.append(element("p", { className: "note", text: "* reads a write shown further down: a reordering the memory model allows" }));
  }

  /** `current`: the row index stepped to; rows after it are dimmed. */
  highlight(current: number | undefined): void {
    for (const [k, tr] of this.cells) {
      tr.classList.toggle("current", k === current);
      tr.classList.toggle("future", current !== undefined && k > current);
    }
    // The row's own cell: with many threads the table is wider than the pane, and the cell may be off to the side.
    const row = current === undefined ? undefined : this.cells.get(current);
    const cell = row?.querySelector("td[data-thread]") ?? row;
    if (cell !== undefined && cell !== null) scrollIntoPane(this.root, cell);
  }
}
