// The page's look: a light, dense layout for reading traces; the current
// event in amber, events not yet reached dimmed, rows the outcome does not
// depend on greyed.

export const VIEWER_STYLE = `
:root { font-family: system-ui, sans-serif; font-size: 14px; color: #1d1d1d; background: #fafafa; }
body { margin: 0 auto; padding: 12px 20px 40px; max-width: 1800px; }
h1 { font-size: 20px; margin: 4px 0 12px; }
h2 { font-size: 16px; margin: 8px 0; }
code, pre, .timeline td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
table.verdicts { border-collapse: collapse; margin-bottom: 16px; background: #fff; }
table.verdicts th, table.verdicts td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; white-space: nowrap; }
table.verdicts th { background: #f0f0f0; }
table.verdicts tr.ok td:nth-child(6) { color: #2e7d32; font-weight: 600; }
table.verdicts tr.mismatch td { background: #fdecea; }
nav.executions { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 12px; }
nav.executions button { border: 1px solid #bbb; background: #fff; border-radius: 4px; padding: 4px 10px; cursor: pointer; text-align: left; }
nav.executions button[aria-pressed="true"] { background: #1565c0; color: #fff; border-color: #1565c0; }
section.execution { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px 14px; }
pre.message { margin: 4px 0; padding: 6px 10px; white-space: pre-wrap; border-left: 4px solid #d32f2f; background: #fdecea; }
pre.message.witness { border-color: #2e7d32; background: #edf7ed; }
p.replay code { background: #f0f0f0; padding: 2px 6px; border-radius: 3px; user-select: all; }
.stepper { display: flex; align-items: center; gap: 6px; margin: 8px 0; }
.stepper button { font-size: 15px; min-width: 34px; padding: 2px 8px; cursor: pointer; }
.stepper .status { margin-left: 8px; font-family: ui-monospace, monospace; }
.filters { display: flex; flex-wrap: wrap; gap: 16px; margin: 6px 0 10px; }
.zoom button { min-width: 30px; margin-right: 2px; cursor: pointer; }
.filters label { margin-right: 10px; white-space: nowrap; }
.panes { display: flex; gap: 14px; align-items: flex-start; }
.timeline { flex: 1 1 45%; max-height: 80vh; overflow: auto; border: 1px solid #eee; }
.graph { flex: 1 1 55%; max-height: 80vh; overflow: auto; border: 1px solid #eee; min-height: 120px; }
@media (max-width: 1100px) { .panes { flex-direction: column; } .timeline, .graph { width: 100%; } }
.timeline table { border-collapse: collapse; width: 100%; }
.timeline th { position: sticky; top: 0; background: #f0f0f0; text-align: left; padding: 3px 8px; border-bottom: 1px solid #ccc; }
.timeline td { min-width: 15em; padding: 1px 8px; white-space: pre-wrap; vertical-align: top; border-left: 1px solid #eee; font-size: 12.5px; }
.timeline tr.step td { font-weight: 600; padding-top: 5px; }
.timeline tr.end td { color: #b71c1c; font-weight: 600; }
.timeline tr.uninvolved td { color: #999; }
.timeline tr.racing td[data-thread] { color: #b71c1c; }
.timeline tr.future td { opacity: 0.45; }
.timeline tr.current td[data-thread] { background: #ffe082; outline: 2px solid #ffb300; }
.timeline p.note { margin: 6px 8px; color: #555; }
.graph svg g.ev text, .graph svg g.rel text { font-family: "DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace; }
.graph svg .ev.future { opacity: 0.3; }
.graph svg .rel.future { opacity: 0.15; }
.graph svg .ev.current path, .graph svg .ev.current polygon { fill: #ffe082; stroke: #ff8f00; stroke-width: 2.5px; }
.graph svg .rel.current path { stroke-width: 2px; }
.graph.hide-po .rel-po, .graph.hide-rf .rel-rf, .graph.hide-co .rel-co, .graph.hide-fr .rel-fr, .graph.hide-rmw .rel-rmw { display: none; }
p.error { color: #b71c1c; }
p.note { color: #555; }
footer.note { margin-top: 16px; font-size: 12px; color: #777; }
`;
