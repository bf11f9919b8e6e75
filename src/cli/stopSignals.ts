// The signals that end a check early with what it found so far. Apart from
// the heartbeat (heartbeat.ts), which loads worker_threads, so that a
// client of the warm server (server/serverClient.ts), which passes these
// on, loads next to nothing.

/** The signals that end a run early with what it found so far, and their numbers (the exit code is 128 + it). */
export const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;
