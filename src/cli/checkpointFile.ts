// `check --checkpoint FILE`: where each run of the command stands, written
// atomically (a temporary file beside it, then a rename, so that a reader
// or a crash never sees half a file) every few seconds and at the end;
// `--resume FILE` reads it back. One file holds every run of the command
// (each model under each memory model), keyed by model and memory model;
// a run that finished has nothing open, and resuming it only rebuilds its
// result.

import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Frontier } from "../explore/parallelExplore.ts";
import { isSubtree } from "../explore/subtree.ts";
import { UsageError } from "./usageError.ts";

export const CHECKPOINT_FORMAT = { format: "pagerace-checkpoint", version: 1 } as const;

export interface CheckpointedRun {
  /** What the run must be the same as to be resumed: the model (its file's content hash, its tag) and the options that change counts. */
  readonly identity: string;
  readonly frontier: Frontier;
}

export class CheckpointFile {
  private readonly runs = new Map<string, CheckpointedRun>();

  constructor(private readonly path: string) {}

  /** The checkpoint at `path`, checked for its format. */
  static read(path: string): Map<string, CheckpointedRun> {
    if (!existsSync(path)) throw new UsageError(`--resume ${path}: no such file`);
    let doc: { format?: string; version?: number; runs?: Record<string, CheckpointedRun> };
    try {
      doc = JSON.parse(readFileSync(path, "utf8")) as typeof doc;
    } catch (e) {
      throw new UsageError(`--resume ${path}: not a checkpoint (${e instanceof Error ? e.message : String(e)})`);
    }
    if (doc.format !== CHECKPOINT_FORMAT.format || doc.version !== CHECKPOINT_FORMAT.version || typeof doc.runs !== "object" || doc.runs === null)
      throw new UsageError(`--resume ${path}: expected a ${CHECKPOINT_FORMAT.format} version ${CHECKPOINT_FORMAT.version} file`);
    for (const [key, run] of Object.entries(doc.runs)) {
      if (typeof run.identity !== "string" || !Array.isArray(run.frontier?.open) || !run.frontier.open.every(isSubtree) || typeof run.frontier.tally?.counts !== "object")
        throw new UsageError(`--resume ${path}: run '${key}' is malformed`);
    }
    return new Map(Object.entries(doc.runs));
  }

  /** Keeps what is known of the runs not yet reached again (a resumed command rewrites the file as it goes). */
  carry(runs: ReadonlyMap<string, CheckpointedRun>): void {
    for (const [k, v] of runs) this.runs.set(k, v);
  }

  update(key: string, run: CheckpointedRun): void {
    this.runs.set(key, run);
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ ...CHECKPOINT_FORMAT, runs: Object.fromEntries(this.runs) }));
    renameSync(temporary, this.path);
  }
}
