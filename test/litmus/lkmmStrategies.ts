// Runs one litmus text under LKMM with the default strategy and with
// herd-style candidate enumeration (the brute-force oracle), so tests can
// assert that the two agree and what they agree on.

import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { runLitmus, type LitmusRun } from "../../src/litmus/run/runLitmus.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import type { Strategy } from "../../src/explore/explore.ts";

export interface HerdFigures {
  readonly observation: string;
  readonly positive: number;
  readonly negative: number;
  readonly states: readonly string[];
  readonly flags: readonly string[];
}

export function figures(run: LitmusRun): HerdFigures {
  const { observation, witnesses } = run.verdict;
  return { observation, positive: witnesses.positive, negative: witnesses.negative, states: run.states, flags: run.flags };
}

export function runLkmm(text: string, strategy?: Strategy): LitmusRun {
  return runLitmus(compileLitmus(parseLitmus(text, "generated.litmus")), { memoryModel: lkmm, strategy });
}

/** The default strategy's figures (the optimal explorer's) and the candidates oracle's. */
export function bothStrategies(text: string): { auto: HerdFigures; oracle: HerdFigures } {
  return { auto: figures(runLkmm(text)), oracle: figures(runLkmm(text, "candidates")) };
}
