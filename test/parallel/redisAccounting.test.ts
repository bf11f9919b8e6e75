// Exactly-once accounting: a job run again after its worker died (between
// its commit and BullMQ hearing it finish, or before its children were
// enqueued) adds nothing to the totals and re-adds the very children its
// first run recorded, under the same ids, although a second exploration
// would have split it elsewhere. The totals are checked against the sum of
// the tallies committed once each.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Queue } from "bullmq";
import { emptyTally, type Tally } from "../../src/explore/explorationTally.ts";
import type { SliceOutcome } from "../../src/distributed/explorationThread.ts";
import type { Subtree } from "../../src/explore/subtree.ts";
import { totalsOf } from "../../src/distributed/accountingScript.ts";
import { processSubtreeJob, type JobServices } from "../../src/distributed/jobProcessing.ts";
import { connectionOptions } from "../../src/distributed/redisConnection.ts";
import { childJobId, rootJobId, runKeys, type SubtreeJob } from "../../src/distributed/subtreeJob.ts";
import { redisMissing, startRedis } from "./privateRedis.ts";

const skip = redisMissing();

function tally(complete: number, blocked: number, violations: number[][]): Tally {
  const t = emptyTally(1, true);
  return { ...t, counts: { ...t.counts, complete, blocked }, existsCounts: [complete], violationCount: violations.length, violationPaths: violations, dataRaces: { executions: 1, firstPath: violations[0] ?? null } };
}

function outcome(t: Tally, children: Subtree[][]): SliceOutcome {
  return { tally: t, children, halted: children.length > 0 ? "yielded" : null, stoppedAtViolation: false, bounded: null };
}

test("a job processed again after its worker died counts once and re-adds the children of its first commit", { skip }, async () => {
  const redis = await startRedis();
  const queue = new Queue("pagerace-accounting-test", { connection: connectionOptions(redis.url) });
  try {
    const client = await queue.client;
    const run = "test-run";
    const keys = runKeys(run);
    await client.set(keys.alive, 1);
    await client.set(keys.open, 1);
    const job: SubtreeJob = {
      run,
      version: "0",
      model: { file: "m.ts", name: "m", index: 0, hash: "h" },
      options: { memoryModel: "sc", stopOnViolation: false, keepViolations: 20 },
      sliceMs: 1,
      subtrees: [{ prefix: [], from: 0, to: null }],
    };
    // Each exploration of the root yields elsewhere, as a rerun after a crash would.
    const explorations = [
      outcome(tally(10, 3, [[0, 2]]), [
        [{ prefix: [], from: 2, to: null }],
        [
          { prefix: [1, 0], from: 1, to: null },
          { prefix: [1], from: 1, to: null },
        ],
      ]),
      outcome(tally(17, 5, [[0, 2]]), [[{ prefix: [], from: 3, to: null }]]),
    ];
    const explored: string[] = [];
    const enqueued: string[][] = [];
    const services = (explore: SliceOutcome[]): JobServices => ({
      redis: client,
      enqueue: async (jobs) => {
        enqueued.push(jobs.map((j) => `${j.id} ${JSON.stringify(j.data.subtrees)}`));
      },
      explore: async (j) => {
        explored.push(JSON.stringify(j.subtrees));
        return explore.shift()!;
      },
    });
    const root = rootJobId(run);
    assert.equal(await processSubtreeJob(root, job, services(explorations)), "committed");
    // The worker died before BullMQ heard of it: stalled-job recovery runs the job again.
    assert.equal(await processSubtreeJob(root, job, services(explorations)), "recommitted");
    assert.equal(explored.length, 1, "the committed job is not explored again");
    assert.equal(enqueued.length, 2);
    assert.deepEqual(enqueued[1], enqueued[0], "the same children, under the same ids");
    assert.deepEqual(
      enqueued[0]!.map((l) => l.split(" ")[0]),
      [childJobId(run, root, 0), childJobId(run, root, 1)],
    );
    // The children commit, each once, one of them twice over.
    const child = (i: number): SubtreeJob => ({ ...job, subtrees: JSON.parse(enqueued[0]![i]!.split(" ")[1]!) as Subtree[] });
    const childIds = [childJobId(run, root, 0), childJobId(run, root, 1)];
    await processSubtreeJob(childIds[0]!, child(0), services([outcome(tally(4, 1, [[1, 1]]), [])]));
    await processSubtreeJob(childIds[1]!, child(1), services([outcome(tally(6, 0, []), [])]));
    await processSubtreeJob(childIds[1]!, child(1), services([outcome(tally(99, 99, [[2]]), [])]));
    const totals = totalsOf(await client.hgetall(keys.totals), 1, true);
    assert.deepEqual(totals.counts, { complete: 10 + 4 + 6, blocked: 3 + 1 + 0, deadlock: 0, error: 0, bound: 0 });
    assert.deepEqual(totals.existsCounts, [20]);
    assert.equal(totals.violationCount, 2);
    assert.equal(totals.raceExecutions, 3);
    assert.deepEqual((await client.lrange(keys.violations, 0, -1)).sort(), ["[0,2]", "[1,1]"]);
    assert.equal(await client.get(keys.open), "0", "every job committed: none open");
  } finally {
    await queue.close();
    await redis.stop();
  }
});
