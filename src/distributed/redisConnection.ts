// How coordinator and workers reach Redis, and the options every subtree
// job is queued with.

import type { ConnectionOptions, JobsOptions } from "bullmq";

/** A Redis URL (redis://host:port/db, rediss:// for TLS) as BullMQ connects to it. */
export function connectionOptions(url: string): ConnectionOptions {
  // Blocking commands (a worker waiting for jobs) must not give up after a few retries: null, as BullMQ asks.
  return { url, maxRetriesPerRequest: null } as ConnectionOptions;
}

/**
 * Done jobs leave the queue (their commit in the run's keys is what says
 * they are done); a job whose processing threw (Redis went away for a
 * while) is tried again: its commit mark keeps a second try from counting
 * twice.
 */
export const jobOptions: JobsOptions = { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 20, backoff: { type: "fixed", delay: 1000 } };
