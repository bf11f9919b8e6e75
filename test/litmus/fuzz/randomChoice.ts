// The seeded choices every fuzz generator makes: a number below k, one of
// a list, a coin with odds p. Seeded (mulberry32), so input N of seed S is
// the same input on every run and a failure is replayed by its numbers.

import { mulberry32 } from "../../support/randomProgram.ts";

export interface RandomChoice {
  /** 0 <= x < 1. */
  readonly next: () => number;
  int(k: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function randomChoice(seed: number): RandomChoice {
  const next = mulberry32(seed);
  return {
    next,
    int: (k) => Math.floor(next() * k),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

/** One seed per (run seed, input index), spread so neighbouring indexes share nothing. */
export function inputSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}
