// A part of a distributed run as a BullMQ job, and the Redis keys of that
// run. A job says everything a worker on another machine needs to explore
// its part the way the coordinator would: which model (the file as the
// coordinator named it, the model's name and position in it, and the
// file's content hash, which the worker checks), the memory model and the
// options that change counts, the pagerace version, and the part: one or
// more subtrees, explored one after the other (what a yield leaves is a
// range per depth, most of them small: they travel as one job).

import { createHash } from "node:crypto";
import { isSubtree, type Subtree } from "../explore/subtree.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";

/** How long a run stays alive after its coordinator's last sign of life (ms). */
export const COORDINATOR_LEASE_MS = 15_000;

/** The one queue every coordinator and worker shares; jobs of different runs carry their run's id. */
export const SUBTREE_QUEUE = "pagerace-subtrees";

export interface JobModel {
  /** The model file as the coordinator loaded it (a worker given no file of its own loads this path). */
  readonly file: string;
  readonly name: string;
  /** Among the file's models of that name (as `check` lists them). */
  readonly index: number;
  /** The file's content hash (contentHash below). */
  readonly hash: string;
}

export interface SubtreeJob {
  /** The run's id: its Redis keys are runKeys(run). */
  readonly run: string;
  /** The pagerace version of the coordinator: a worker of another version refuses the job. */
  readonly version: string;
  readonly model: JobModel;
  readonly options: SubtreeRunOptions;
  /** How long a worker explores the job before it asks whether to hand what is left back as new jobs (ms). */
  readonly sliceMs: number;
  readonly subtrees: readonly Subtree[];
}

/** A model file's content hash, as jobs carry it (the same hash a checkpoint's identity holds). */
export function contentHash(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 16);
}

/** The root job's id. BullMQ ignores a job added under an id it already holds, which keeps a retried job from adding its children twice. */
export function rootJobId(run: string): string {
  return `${run}-root`;
}

/** The id of the i-th child of a job: derived from its parent's, so that a retried job re-adds its children under the same ids. */
export function childJobId(run: string, parent: string, i: number): string {
  return `${run}-${createHash("sha256").update(`${parent}/${i}`).digest("hex").slice(0, 20)}`;
}

/** The Redis keys of one run (a hash tag keeps them in one slot, should the Redis be a cluster). */
export function runKeys(run: string) {
  const k = (name: string) => `pagerace:{${run}}:${name}`;
  return {
    /** Job id -> the children it left (JSON: each child's subtrees), for every job whose tally is committed. */
    done: k("done"),
    /** The summed counts: one integer field per count (see accountingScript.ts). */
    totals: k("totals"),
    /** Kept violations' paths, as JSON arrays, from every job that kept some. */
    violations: k("violations"),
    /** The first racing execution's path of every job that saw a data race. */
    races: k("races"),
    /** Jobs not yet committed: 1 for the root, +children-1 per commit; 0 means the tree is done. */
    open: k("open"),
    /** Set once the run must stop (a violation that stops it, the heap, an interruption): its reason. */
    stop: k("stop"),
    /** Renewed by the coordinator while it waits, with an expiry (COORDINATOR_LEASE_MS): gone, the run has no one to report it, and is not explored further. */
    alive: k("alive"),
    /** The first failure a worker met (a model error): JSON { message, path, modelError }. */
    failure: k("failure"),
    /** Why workers refused this run's jobs (another model file, another version), one line each. */
    refusals: k("refusals"),
  };
}

export type RunKeys = ReturnType<typeof runKeys>;

/** Whether `d` is a well-formed job (it came over the network, possibly from another version). */
export function isSubtreeJob(d: unknown): d is SubtreeJob {
  if (typeof d !== "object" || d === null) return false;
  const j = d as SubtreeJob;
  return (
    typeof j.run === "string" &&
    typeof j.version === "string" &&
    typeof j.model === "object" &&
    j.model !== null &&
    typeof j.model.file === "string" &&
    typeof j.model.name === "string" &&
    Number.isSafeInteger(j.model.index) &&
    typeof j.model.hash === "string" &&
    typeof j.options === "object" &&
    j.options !== null &&
    typeof j.options.memoryModel === "string" &&
    Number.isFinite(j.sliceMs) &&
    Array.isArray(j.subtrees) &&
    j.subtrees.length > 0 &&
    j.subtrees.every(isSubtree)
  );
}
