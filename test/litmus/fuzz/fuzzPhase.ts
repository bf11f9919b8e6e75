// What the fuzz worker is doing, as it stores it in shared memory for the
// script's watchdog (fuzzWorker.ts, scripts/fuzz.ts).

/** Parsing and compiling: no input may stay here long. */
export const READING = 0;
/** Exploring an accepted test. */
export const EXPLORING = 1;
