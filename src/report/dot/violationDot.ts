// `check --dot DIR` and `scenario --dot DIR`: each violation's execution
// graph as a DOT file, DIR/<model>.<memory model>.<n>.dot, drawn as the
// litmus pictures are (executionDot.ts) and titled with the broken check.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Model } from "../../program/model.ts";
import type { RecordedViolation } from "../../explore/executionRecorder.ts";
import { dotGraph, executionCluster } from "./executionDot.ts";

/** A model name as a file name: what is not a letter, digit, dot or dash becomes `_`. */
export function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]+/g, "_").replace(/^\.+/, "_") || "model";
}

/** Writes one file per violation; returns their paths. */
export function writeViolationDots(dir: string, model: Model, memoryModel: string, violations: readonly RecordedViolation[]): string[] {
  if (violations.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  return violations.map((v, i) => {
    const title = `${model.name} [${memoryModel}]: ${v.outcome.violation?.message.split("\n")[0] ?? "violation"}`;
    const path = join(dir, `${fileStem(model.name)}.${memoryModel}.${i + 1}.dot`);
    writeFileSync(path, dotGraph(title, [executionCluster(model, v.graph, "v_", title)], ""));
    return path;
  });
}
