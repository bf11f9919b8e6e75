// The fuzz script's worker (scripts/fuzz.ts): judges inputs `from` to `to`
// of a seed, posting each outcome. Before each input it stores the index in
// shared memory, so that when an input hangs the main thread knows which
// one and can stop this worker and start another after it — and whether it
// was still reading the input (a hang) or exploring an accepted test.

import { parentPort, workerData } from "node:worker_threads";
import { fuzzInput } from "./fuzzInput.ts";
import { EXPLORING, READING } from "./fuzzPhase.ts";
import { judgeLitmusInput } from "./judgeLitmusInput.ts";
import { loadLitmusCorpus } from "./litmusCorpus.ts";

export interface FuzzWorkerData {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  readonly explorationMs: number;
  /** Int32Array over a SharedArrayBuffer: [index being judged, phase: READING or EXPLORING]. */
  readonly progress: SharedArrayBuffer;
}

export interface FuzzWorkerMessage {
  readonly index: number;
  readonly outcome: import("./judgeLitmusInput.ts").FuzzOutcome;
}

const data = workerData as FuzzWorkerData;
const progress = new Int32Array(data.progress);
const corpus = loadLitmusCorpus().texts;
for (let i = data.from; i < data.to; i++) {
  Atomics.store(progress, 1, READING);
  Atomics.store(progress, 0, i);
  const input = fuzzInput(data.seed, i, corpus);
  // One input in ten is explored under LKMM, the rest under SC: the front end is the same, SC is faster.
  const outcome = judgeLitmusInput(input.text, `fuzz-${i}.litmus`, {
    explorationMs: data.explorationMs,
    lkmm: i % 10 === 0,
    onExploring: () => Atomics.store(progress, 1, EXPLORING),
  });
  const message: FuzzWorkerMessage = { index: i, outcome };
  parentPort!.postMessage(message);
}
