// The verdict table: one row per run (check), variant (scenarios) or test
// (litmus), as the command's text output tabulates it.

import { element } from "./elements.ts";
import type { VerdictTable } from "./viewerDocument.ts";

export function verdictTable(t: VerdictTable): HTMLElement {
  return element("table", { className: "verdicts", attributes: { "data-testid": "verdicts" } }, [
    element("thead", {}, [element("tr", {}, t.columns.map((c) => element("th", { text: c })))]),
    element(
      "tbody",
      {},
      t.rows.map((cells, k) => {
        const judged = t.judgements[k];
        return element("tr", { className: judged === undefined ? "" : judged ? "ok" : "mismatch" }, cells.map((c) => element("td", { text: c })));
      }),
    ),
  ]);
}
