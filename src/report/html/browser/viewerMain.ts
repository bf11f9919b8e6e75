// The viewer page's script: reads the JSON document embedded in the page
// (src/report/html/viewerHtml.ts), draws the verdict table and a tab per
// violation or witness, and lays out the execution graphs with Graphviz
// once its WebAssembly has been compiled. Bundled with the layout library
// by scripts/bundleViewer.mjs.

import { instance } from "@viz-js/viz";
import { element } from "./elements.ts";
import { ExecutionPanel } from "./executionPanel.ts";
import { verdictTable } from "./verdictTable.ts";
import { viewerContent } from "./viewerDocument.ts";
import { VIEWER_STYLE } from "./viewerStyle.ts";

const DATA_ELEMENT_ID = "pagerace-data"; // as viewerHtml.ts writes it

async function main(): Promise<void> {
  document.head.append(element("style", { text: VIEWER_STYLE }));
  const data = document.getElementById(DATA_ELEMENT_ID);
  if (data === null) throw new Error(`the page holds no #${DATA_ELEMENT_ID} element`);
  const content = viewerContent(JSON.parse(data.textContent ?? "null"));
  document.title = content.heading;
  const executions = content.executions;
  const main = element("main", {}, [
    element("h1", { text: content.heading }),
    content.note === undefined ? undefined : element("p", { className: "note", text: content.note }),
    verdictTable(content.table),
  ]);
  document.body.append(main);
  if (executions.length === 0) {
    main.append(element("p", { className: "note", text: "No violation or witness to show: every run verified, or the document holds no execution." }));
    document.body.dataset.ready = "true";
    return;
  }
  const placeholder = element("p", { className: "note", text: "Laying out the graphs…" });
  main.append(placeholder);
  const viz = await instance();
  placeholder.remove();
  const panels = new Map<number, ExecutionPanel>();
  let active: ExecutionPanel | undefined;
  const holder = element("div");
  const tabs = executions.map((x, k) => {
    const first = x.message.split("\n")[0] ?? "";
    const b = element("button", { attributes: { type: "button", "aria-pressed": "false", "data-testid": "execution-tab" } }, [element("strong", { text: x.title }), element("br"), first]);
    b.addEventListener("click", () => select(k));
    return b;
  });
  const select = (k: number) => {
    tabs.forEach((b, j) => b.setAttribute("aria-pressed", String(j === k)));
    let panel = panels.get(k);
    if (panel === undefined) {
      panel = new ExecutionPanel(executions[k]!, viz);
      panels.set(k, panel);
    }
    active = panel;
    holder.replaceChildren(panel.root);
    panel.shown();
  };
  main.append(element("h2", { text: `${executions.length} execution${executions.length === 1 ? "" : "s"} to step through (← → keys)` }), element("nav", { className: "executions" }, tabs), holder);
  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement | null;
    if (target !== null && (target.tagName === "TEXTAREA" || target.tagName === "SELECT" || (target.tagName === "INPUT" && (target as HTMLInputElement).type === "text"))) return;
    if (active?.stepper.handleKey(e)) e.preventDefault();
  });
  select(0);
  // The layout library travels inside the page: its notice does too.
  main.append(
    element("footer", {
      className: "note",
      text: `Graphs laid out by Graphviz ${viz.graphvizVersion} (Eclipse Public License 1.0, graphviz.org), compiled to WebAssembly by @viz-js/viz (MIT licence), both carried inside this page.`,
    }),
  );
  document.body.dataset.ready = "true";
}

main().catch((e: unknown) => {
  console.error(e);
  document.body.append(element("p", { className: "error", text: `pagerace viewer: ${e instanceof Error ? e.message : String(e)}` }));
  document.body.dataset.ready = "error";
});
