// Exactly-once accounting of a distributed run. A job's tally is added to
// the run's totals by one Lua script, which Redis runs atomically, in the
// same step as it marks the job done and records the children the job left
// (keyed by the job's id). A job run again (its worker died before BullMQ
// heard it finish, and stalled-job recovery queued it anew) finds its mark:
// nothing is added twice, and it only re-adds the children recorded at its
// first commit (under the same job ids, which BullMQ does not duplicate),
// not the different ones a second exploration would have left.
//
// The totals are one integer field per count, so that commits add up in
// Redis without reading anything back; kept violations and first data races
// are pushed as paths, and the coordinator keeps the first ones in
// depth-first order, as one run keeps them.

import type { IRedisClient } from "bullmq";
import type { Tally } from "../explore/explorationTally.ts";
import type { Subtree } from "../explore/subtree.ts";
import type { RunKeys } from "./subtreeJob.ts";
import type { StuckThread } from "./explorationThread.ts";

const COMMAND = "pageraceCommitSubtree";

// KEYS: done, totals, violations, races, open, stop.
// ARGV: job id, children (JSON), number of children, stop reason ('' for none),
//       increments (JSON object of integers), duplicate sampling, first race path ('' for none),
//       then the kept violations' paths (each JSON).
// Returns { 1 if this call committed (0 if an earlier one had), the recorded children }.
const LUA = `
local recorded = redis.call('HGET', KEYS[1], ARGV[1])
if recorded then return {0, recorded} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for field, n in pairs(cjson.decode(ARGV[5])) do redis.call('HINCRBY', KEYS[2], field, n) end
local sampling = tonumber(ARGV[6])
if sampling > tonumber(redis.call('HGET', KEYS[2], 'duplicateSampling') or '1') then redis.call('HSET', KEYS[2], 'duplicateSampling', sampling) end
if ARGV[7] ~= '' then redis.call('RPUSH', KEYS[4], ARGV[7]) end
for i = 8, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
redis.call('INCRBY', KEYS[5], tonumber(ARGV[3]) - 1)
if ARGV[4] ~= '' then redis.call('SET', KEYS[6], ARGV[4], 'NX') end
return {1, ARGV[2]}
`;

/** Counts a tally adds to the totals, by field name. */
export function increments(t: Tally): Record<string, number> {
  const out: Record<string, number> = { ...t.counts, violationCount: t.violationCount, duplicates: t.duplicates };
  t.existsCounts.forEach((n, i) => (out[`exists.${i}`] = n));
  if (t.dataRaces !== null) out.raceExecutions = t.dataRaces.executions;
  return out;
}

export interface Commit {
  /** False when an earlier run of the same job had committed (nothing was added now). */
  readonly committed: boolean;
  /** The children to enqueue, each a list of subtrees: those of the first commit. */
  readonly children: readonly (readonly Subtree[])[];
}

/** Commits a job's tally, its children and (when the run must stop) the reason, in one atomic step. */
export async function commitSubtree(client: IRedisClient, keys: RunKeys, jobId: string, tally: Tally, children: readonly (readonly Subtree[])[], stopReason: string | null): Promise<Commit> {
  define(client, COMMAND, 6, LUA);
  const args = [
    keys.done,
    keys.totals,
    keys.violations,
    keys.races,
    keys.open,
    keys.stop,
    jobId,
    JSON.stringify(children),
    String(children.length),
    stopReason ?? "",
    JSON.stringify(increments(tally)),
    String(tally.duplicateSampling),
    tally.dataRaces?.firstPath == null ? "" : JSON.stringify(tally.dataRaces.firstPath),
    ...tally.violationPaths.map((p) => JSON.stringify(p)),
  ];
  const [committed, recorded] = (await client.runCommand(COMMAND, args)) as [number, string];
  return { committed: committed === 1, children: JSON.parse(recorded) as Subtree[][] };
}

const FAILURE_COMMAND = "pageraceRecordFailure";

/** A worker's failure as Redis keeps it: the error, the path that led there (to replay it), and a thread its watchdog stopped. */
export interface RecordedFailure {
  readonly message: string;
  readonly path: readonly number[] | null;
  readonly modelError: boolean;
  readonly stuck?: StuckThread;
}

// KEYS: failure, stop. ARGV: the failure (JSON). The first failure is kept, and stops the run.
const FAILURE_LUA = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
redis.call('SET', KEYS[2], 'failure', 'NX')
return 1
`;

/** Records a worker's failure to explore (a model error): the run stops, and the coordinator reports it. */
export async function recordFailure(client: IRedisClient, keys: RunKeys, failure: RecordedFailure): Promise<void> {
  define(client, FAILURE_COMMAND, 2, FAILURE_LUA);
  await client.runCommand(FAILURE_COMMAND, [keys.failure, keys.stop, JSON.stringify(failure)]);
}

const EXPIRE_COMMAND = "pageraceExpireRun";

// KEYS: every key of a run. ARGV: seconds. A finished run's keys go after a while: jobs of it still queued
// (a run that stopped early) are skipped by the stop mark until then, and a straggling commit cannot leave keys behind for good.
const EXPIRE_LUA = `
for _, k in ipairs(KEYS) do redis.call('EXPIRE', k, ARGV[1]) end
return 1
`;

export async function expireRun(client: IRedisClient, keys: RunKeys, seconds: number): Promise<void> {
  const all = Object.values(keys);
  define(client, EXPIRE_COMMAND, all.length, EXPIRE_LUA);
  await client.runCommand(EXPIRE_COMMAND, [...all, String(seconds)]);
}

function define(client: IRedisClient, name: string, keys: number, lua: string): void {
  if (typeof (client as IRedisClient & Record<string, unknown>)[name] !== "function") client.defineCommand(name, { numberOfKeys: keys, lua });
}

/** The tally of every committed job (violations and races are sorted and cut by the caller). */
export function totalsOf(fields: Record<string, string>, existsChecks: number, dataRaces: boolean): Omit<Tally, "violationPaths" | "dataRaces"> & { raceExecutions: number | null } {
  const n = (f: string) => Number(fields[f] ?? 0);
  return {
    counts: { complete: n("complete"), blocked: n("blocked"), deadlock: n("deadlock"), error: n("error"), bound: n("bound") },
    existsCounts: Array.from({ length: existsChecks }, (_, i) => n(`exists.${i}`)),
    violationCount: n("violationCount"),
    duplicates: n("duplicates"),
    duplicateSampling: fields.duplicateSampling === undefined ? 1 : Number(fields.duplicateSampling),
    raceExecutions: dataRaces ? n("raceExecutions") : null,
  };
}
