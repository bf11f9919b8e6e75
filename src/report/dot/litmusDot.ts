// `pagerace litmus -show WHAT -o DIR`, as herd7 users expect it: one DOT
// file per test, DIR/<test file name>.dot, holding the executions herd
// counts (every thread finished, the filter passed) that WHAT selects:
//
//   all   every counted execution
//   prop  those whose final state satisfies the condition's proposition
//   neg   those whose final state does not
//   cond  those that satisfy the condition as a whole: the proposition for
//         `exists` and `forall`, its negation for `~exists`
//   wit   the witnesses herd counts as Positive (the same as cond)
//   none  nothing is written (herd's default)
//
// The test is explored again for its pictures, so the counts printed in the
// herd block stay exactly those of runLitmus.

import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { CompiledLitmus } from "../../litmus/compile.ts";
import type { MemoryModel } from "../../models/memoryModel.ts";
import type { Strategy } from "../../explore/explore.ts";
import { explore } from "../../explore/explore.ts";
import { dotGraph, executionCluster } from "./executionDot.ts";

export const SHOW_VALUES = ["none", "all", "prop", "neg", "cond", "wit"] as const;
export type ShowWhat = (typeof SHOW_VALUES)[number];

/** At most this many executions go in one file: beyond it the picture is unreadable anyway. */
export const MAX_SHOWN = 200;

function selects(show: ShowWhat, quantifier: CompiledLitmus["quantifier"], holds: boolean): boolean {
  switch (show) {
    case "none":
      return false;
    case "all":
      return true;
    case "prop":
      return holds;
    case "neg":
      return !holds;
    case "cond":
    case "wit":
      return quantifier === "~exists" ? !holds : holds;
  }
}

/** The DOT text of a test's selected executions. */
export function litmusDot(compiled: CompiledLitmus, show: ShowWhat, memoryModel: MemoryModel, strategy?: Strategy): string {
  const clusters: string[][] = [];
  let selected = 0;
  explore(compiled.model, {
    memoryModel,
    strategy: strategy,
    stopOnViolation: false,
    countDuplicates: false,
    onExecution: (g, o) => {
      if (o.status !== "complete" || !compiled.filter(o.final)) return;
      const holds = compiled.evaluate(o.final);
      if (!selects(show, compiled.quantifier, holds)) return;
      selected++;
      if (clusters.length >= MAX_SHOWN) return;
      // The graph is reused once this returns: draw it now.
      const title = `${compiled.name}, execution ${selected}: ${compiled.formatState(o.final)}${holds ? "" : " (proposition fails)"}`;
      clusters.push(executionCluster(compiled.model, g, `x${selected}_`, title));
    },
  });
  const more = selected > clusters.length ? [[`more [shape=plaintext, label="(${selected - clusters.length} more executions not drawn)"];`]] : [];
  return dotGraph(compiled.name, [...clusters, ...more], `${compiled.name}: no execution matches -show ${show}`);
}

/** Writes DIR/<file name without .litmus>.dot; returns its path. */
export function writeLitmusDot(dir: string, file: string, dot: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${basename(file).replace(/\.litmus$/, "")}.dot`);
  writeFileSync(path, dot);
  return path;
}
