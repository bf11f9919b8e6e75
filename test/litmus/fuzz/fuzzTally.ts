// The fuzzer's counts, and the few examples of each failure worth printing.

import type { FuzzOutcome, FuzzVerdict } from "./judgeLitmusInput.ts";

export const FAILURE_VERDICTS: readonly FuzzVerdict[] = ["rejected-unlocated", "unsafe-output", "crash"];

export class FuzzTally {
  inputs = 0;
  accepted = 0;
  /** Accepted inputs whose exploration hit the time budget (not a failure: exploration is exponential). */
  explorationCut = 0;
  rejectedLocated = 0;
  rejectedUnlocated = 0;
  unsafeOutput = 0;
  crashes = 0;
  /** Inputs still being read (parsed, compiled) at the per-input time limit. */
  hangs = 0;
  /**
   * Accepted inputs still being explored at the per-input time limit. Not
   * a front-end failure: exploring is exponential, and part of it (the
   * load-buffering pre-check) does not look at the exploration budget.
   */
  slowExplorations = 0;
  /** The first few failures, as `#index verdict: detail`. */
  readonly examples: string[] = [];

  add(index: number, outcome: FuzzOutcome): void {
    this.inputs++;
    switch (outcome.verdict) {
      case "accepted":
        this.accepted++;
        if (outcome.explorationCut) this.explorationCut++;
        return;
      case "rejected-located":
        this.rejectedLocated++;
        return;
      case "rejected-unlocated":
        this.rejectedUnlocated++;
        break;
      case "unsafe-output":
        this.unsafeOutput++;
        break;
      case "crash":
        this.crashes++;
        break;
    }
    this.example(`#${index} ${outcome.verdict}: ${outcome.detail ?? ""}`);
  }

  addHang(index: number, seconds: number): void {
    this.inputs++;
    this.hangs++;
    this.example(`#${index} hang: still reading the input after ${seconds} s`);
  }

  addSlowExploration(index: number, seconds: number): void {
    this.inputs++;
    this.accepted++;
    this.slowExplorations++;
    this.example(`#${index} accepted, still exploring after ${seconds} s (stopped)`);
  }

  example(text: string): void {
    if (this.examples.length < 20) this.examples.push(text);
  }

  get failures(): number {
    return this.rejectedUnlocated + this.unsafeOutput + this.crashes + this.hangs;
  }

  lines(): string[] {
    return [
      `inputs                       ${this.inputs}`,
      `accepted                     ${this.accepted} (exploration cut at the time budget: ${this.explorationCut})`,
      `rejected with location       ${this.rejectedLocated}`,
      `rejected without location    ${this.rejectedUnlocated}`,
      `unsafe output                ${this.unsafeOutput}`,
      `crashes                      ${this.crashes}`,
      `hangs                        ${this.hangs}`,
      `explorations over the limit  ${this.slowExplorations} (accepted tests; counted in accepted)`,
    ];
  }
}
