// The HTML viewer in a real browser (Debian's Chromium, driven by
// playwright-core): pages written by `check --html`, `scenario --html` and
// `litmus --html` load without a console error or a request leaving the
// file; they show the threads and the timeline the JSON result holds for a
// known race; stepping moves the highlighted event in the timeline and in
// the graph together; the filters hide threads and relations; and a model
// whose names are markup is shown as text, with no dialog and no element
// of its making. Screenshots are kept (chromium.ts: artifactsDir).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { pagerace } from "../cli/pagerace.ts";
import { artifactsDir, browserSkip, launchChromium, openViewer } from "./chromium.ts";
import { HOSTILE } from "./fixtures/hostileNames.ts";

interface TimelineRow {
  readonly thread: number;
  readonly kind: string;
  readonly text: string;
  readonly events: readonly number[];
}
interface Violation {
  readonly replayCommand?: string;
  readonly timeline: readonly TimelineRow[];
  readonly graph: { readonly threads: readonly string[]; readonly events: readonly unknown[][] };
}

let work = "";
let browser: Browser;

/** Runs the command line and returns the page it wrote (and its JSON, when --json was given). */
function written(name: string, args: readonly string[], code = 0): { file: string; out: string } {
  const file = join(work, `${name}.html`);
  const r = pagerace(...args, "--html", file);
  assert.equal(r.code, code, `pagerace ${args.join(" ")}: exit ${r.code}\n${r.err}`);
  assert.match(r.err, /viewer written to/);
  return { file, out: r.out };
}

/** Each shown timeline row: its index in the JSON timeline, and its cells' text per thread column. */
async function timelineRows(page: Page): Promise<{ row: number; cells: string[] }[]> {
  return page.$$eval("[data-testid=timeline] tbody tr", (trs) =>
    trs.map((tr) => ({ row: Number((tr as HTMLElement).dataset.row), cells: [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "") })),
  );
}

const currentRow = (page: Page) => page.$eval("[data-testid=timeline] tr.current", (tr) => Number((tr as HTMLElement).dataset.row));
const currentNodes = (page: Page) => page.$$eval("[data-testid=graph] g.ev.current", (gs) => gs.map((g) => g.id).sort());

async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifactsDir(), `${name}.png`);
  await page.screenshot({ path });
  return path;
}

describe("the HTML viewer in Chromium", { skip: browserSkip }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "pagerace-viewer-"));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("check --html: the race's threads and timeline, stepped through in sync with the graph", async () => {
    const { file, out } = written("faultTruncate", ["check", "--json", "examples/faultTruncate.ts"]);
    const doc = JSON.parse(out) as { results: { violations: Violation[] }[] };
    const violation = doc.results.flatMap((r) => r.violations)[0];
    assert.ok(violation, "faultTruncate's buggy model should violate its invariant");
    const { page, problems } = await openViewer(browser, resolve(file));
    assert.deepEqual(problems, []);
    assert.equal(await page.evaluate(() => document.body.dataset.ready), "true");

    // The verdict table has the three runs; the race is the one execution offered.
    assert.equal(await page.locator("[data-testid=verdicts] tbody tr").count(), doc.results.length);
    assert.equal(await page.locator("[data-testid=execution-tab]").count(), 1);
    assert.equal(await page.textContent("[data-testid=replay-command]"), violation.replayCommand);

    // The threads, in order, as columns; each row under its thread, with the JSON timeline's text.
    const heads = await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads, violation.graph.threads);
    const rows = await timelineRows(page);
    assert.equal(rows.length, violation.timeline.length);
    for (const { row, cells } of rows) {
      const expected = violation.timeline[row]!;
      const text = cells[expected.thread]!;
      assert.ok(text.includes(expected.text), `row ${row}: '${text}' should show '${expected.text}'`);
      cells.forEach((c, t) => t !== expected.thread && assert.equal(c, "", `row ${row} has text in another thread's column`));
    }
    // Every event of the execution is a node of the graph.
    const nodes = await page.$$eval("[data-testid=graph] g.ev:not(.init)", (gs) => gs.map((g) => g.id));
    assert.equal(nodes.length, violation.graph.events.flat().length);

    // Stepping: the first event row is current; → moves to the next event row, and the graph's current node follows.
    const eventRows = violation.timeline.map((r, k) => (r.kind === "event" ? k : -1)).filter((k) => k >= 0);
    const nodesOf = (k: number) => violation.timeline[k]!.events.map((i) => `t${violation.timeline[k]!.thread}e${i}`).sort();
    assert.equal(await currentRow(page), eventRows[0]);
    assert.deepEqual(await currentNodes(page), nodesOf(eventRows[0]!));
    await page.keyboard.press("ArrowRight");
    assert.equal(await currentRow(page), eventRows[1]);
    assert.deepEqual(await currentNodes(page), nodesOf(eventRows[1]!));
    await page.getByRole("button", { name: "next event (→)" }).click();
    assert.equal(await currentRow(page), eventRows[2]);
    await page.keyboard.press("ArrowLeft");
    assert.equal(await currentRow(page), eventRows[1]);
    await page.keyboard.press("End");
    const last = eventRows[eventRows.length - 1]!;
    assert.equal(await currentRow(page), last);
    assert.deepEqual(await currentNodes(page), nodesOf(last));
    assert.match((await page.textContent("[data-testid=step-status]")) ?? "", new RegExp(`^event ${eventRows.length} of ${eventRows.length}: `));
    // Rows after the current one are dimmed; none are after the last.
    assert.equal(await page.locator("[data-testid=timeline] tr.future").count(), rows.filter((r) => r.row > last).length);
    await page.keyboard.press("Home");
    assert.equal(await currentRow(page), eventRows[0]);
    assert.ok((await page.locator("[data-testid=graph] g.ev.future").count()) > 0, "events not reached yet are marked in the graph");
    await screenshot(page, "viewer-check-faultTruncate");
    assert.deepEqual(problems, []);
  });

  test("filters: a thread hidden leaves the timeline and the graph; a relation hidden leaves the graph", async () => {
    const { file, out } = written("filters", ["check", "--json", "examples/faultTruncate.ts"]);
    const violation = (JSON.parse(out) as { results: { violations: Violation[] }[] }).results.flatMap((r) => r.violations)[0]!;
    const { page, problems } = await openViewer(browser, resolve(file));
    const hidden = violation.graph.threads.length - 1;
    await page.getByTestId(`thread-${hidden}`).uncheck();
    const heads = await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads, violation.graph.threads.slice(0, hidden));
    assert.equal(await page.locator(`[data-testid=graph] g.ev.t${hidden}`).count(), 0);
    assert.ok((await page.locator("[data-testid=graph] g.ev.t0").count()) > 0);

    const rf = page.locator("[data-testid=graph] g.rel-rf").first();
    assert.equal(await rf.evaluate((g) => getComputedStyle(g).display), "inline");
    await page.getByTestId("relation-rf").uncheck();
    assert.equal(await rf.evaluate((g) => getComputedStyle(g).display), "none");
    assert.equal(await page.locator("[data-testid=graph] g.rel-po").first().evaluate((g) => getComputedStyle(g).display), "inline");
    await page.getByTestId("relation-rf").check();
    assert.equal(await rf.evaluate((g) => getComputedStyle(g).display), "inline");
    assert.deepEqual(problems, []);
  });

  test("a catalogue race (seed 004): its threads and steps, and a screenshot", async () => {
    const { file, out } = written("seed004", ["scenario", "--json", "004-B2", "--variant", "rwlock-dropped-early"]);
    const row = (JSON.parse(out) as { rows: { result: { violations: Violation[] } }[] }).rows[0]!;
    const violation = row.result.violations[0]!;
    const { page, problems } = await openViewer(browser, resolve(file));
    assert.deepEqual(problems, []);
    const heads = await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads, violation.graph.threads);
    const steps = violation.timeline.filter((r) => r.kind === "step").map((r) => `${r.text}:`);
    const shownSteps = await page.$$eval("[data-testid=timeline] tr.step td[data-thread]", (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(shownSteps, steps);
    assert.match((await page.textContent("[data-testid=replay-command]")) ?? "", /^pagerace scenario 004-B2 --variant rwlock-dropped-early --replay \S+$/);
    for (let k = 0; k < 6; k++) await page.keyboard.press("ArrowRight");
    const path = await screenshot(page, "viewer-seed004");
    assert.ok(statSync(path).size > 20_000, "the screenshot should hold a drawn page");
    assert.deepEqual(readFileSync(path).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  test("an LKMM race of the catalogue (seed 002): the graph's relations, and the README's screenshot", async () => {
    const { file, out } = written("seed002", ["scenario", "--json", "002-B3", "--variant", "buggy"]);
    const violation = (JSON.parse(out) as { rows: { result: { violations: Violation[] } }[] }).rows[0]!.result.violations[0]!;
    const { page, problems } = await openViewer(browser, resolve(file), { width: 1600, height: 1350 });
    assert.deepEqual(problems, []);
    assert.deepEqual(await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent)), violation.graph.threads);
    for (const relation of ["po", "rf", "co", "fr", "rmw"]) assert.ok((await page.locator(`[data-testid=graph] g.rel-${relation}`).count()) > 0, `the graph should draw ${relation}`);
    for (let k = 0; k < 5; k++) await page.keyboard.press("ArrowRight");
    const path = await screenshot(page, "viewer-seed002");
    // PAGERACE_UPDATE_DOCS=1 refreshes the README's picture from this run.
    if (process.env.PAGERACE_UPDATE_DOCS === "1") copyFileSync(path, "docs/viewer.png");
    assert.deepEqual(problems, []);
  });

  test("litmus --html: the witness of a test that is Sometimes", async () => {
    const sb = "../shared/litmus/kernel/tools/memory-model/litmus-tests/SB+poonceonces.litmus";
    const { file, out } = written("litmus", ["litmus", "--json", sb]);
    const entry = (JSON.parse(out) as { results: { observation: string; witness: { state: string } | null }[] }).results[0]!;
    assert.equal(entry.observation, "Sometimes");
    assert.ok(entry.witness);
    const { page, problems } = await openViewer(browser, resolve(file));
    assert.deepEqual(problems, []);
    assert.ok(((await page.textContent("[data-testid=execution] pre.message")) ?? "").includes(entry.witness.state));
    assert.deepEqual(await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent)), ["P0", "P1"]);
  });

  test("several executions: each tab shows its own, and the keys step the one shown", async () => {
    const { file, out } = written("lockOrder", ["check", "--json", "examples/lockOrder.ts"]);
    const violations = (JSON.parse(out) as { results: { violations: Violation[] }[] }).results.flatMap((r) => r.violations);
    assert.ok(violations.length >= 2, "lockOrder should deadlock in two models");
    const { page, problems } = await openViewer(browser, resolve(file));
    const tabs = page.getByTestId("execution-tab");
    assert.equal(await tabs.count(), violations.length);
    for (const [k, v] of violations.entries()) {
      await tabs.nth(k).click();
      assert.equal(await tabs.nth(k).getAttribute("aria-pressed"), "true");
      assert.deepEqual(await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent)), v.graph.threads);
      const events = v.timeline.filter((r) => r.kind === "event").length;
      await page.keyboard.press("End");
      assert.match((await page.textContent("[data-testid=step-status]")) ?? "", new RegExp(`^event ${events} of ${events}: `));
    }
    assert.deepEqual(problems, []);
  });

  test("a document written before timelines and labels is still drawn, every event in a row", async () => {
    const r = pagerace("check", "--json", "examples/faultTruncate.ts");
    const doc = JSON.parse(r.out) as { results: { violations: Record<string, unknown>[] }[] };
    const violation = doc.results.flatMap((x) => x.violations)[0]! as unknown as Violation & { graph: { events: { rmw: string }[][] } };
    for (const x of doc.results)
      for (const v of x.violations) {
        delete v.timeline;
        delete v.replayCommand;
        for (const e of (v.graph as { events: Record<string, unknown>[][] }).events.flat()) delete e.label;
      }
    const json = join(work, "older.json");
    writeFileSync(json, JSON.stringify(doc));
    const page_ = join(work, "older.html");
    assert.equal(pagerace("view", json, "-o", page_).code, 0);
    const { page, problems } = await openViewer(browser, resolve(page_));
    assert.deepEqual(problems, []);
    const shown = await page.$$eval("[data-testid=timeline] tr.event", (trs) => trs.length);
    const events = violation.graph.events.flat();
    const rmwPairs = events.filter((e) => e.rmw === "write").length;
    assert.equal(shown, events.length - rmwPairs, "one row per event, an RMW's halves together");
    // Without a replayCommand, the command is made from the file and the id.
    assert.match((await page.textContent("[data-testid=replay-command]")) ?? "", /^pagerace replay examples\/faultTruncate\.ts \S+$/);
    await page.keyboard.press("ArrowRight");
    assert.equal((await currentNodes(page)).length, 1);
  });

  test("a model's names that are markup are shown as text: no element of theirs, no dialog", async () => {
    const { file } = written("hostile", ["check", "test/viewer/fixtures/hostileNames.ts"]);
    const { page, problems } = await openViewer(browser, resolve(file));
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.body.dataset.ready), "true");
    assert.equal(await page.locator("img").count(), 0, "the model's <img> became an element");
    // Each place a model string goes shows it verbatim.
    assert.ok(((await page.textContent("[data-testid=verdicts]")) ?? "").includes(`model ${HOSTILE}`));
    assert.ok(((await page.textContent("[data-testid=execution] pre.message")) ?? "").includes(`check ${HOSTILE}`));
    const heads = await page.$$eval("[data-testid=timeline] th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads, [`writer ${HOSTILE}`, "reader"]);
    assert.ok(((await page.textContent("[data-testid=timeline]")) ?? "").includes(`step ${HOSTILE}:`));
    assert.ok(((await page.textContent("[data-testid=graph]")) ?? "").includes(`x ${HOSTILE}`), "the graph's labels show the location's name");
    await screenshot(page, "viewer-hostile-names");
    assert.deepEqual(problems, []);
  });
});
