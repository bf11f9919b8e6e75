// GenMC's benchmarks as pagerace families: each builds the program for a
// size, with the size GenMC's benchmark defaults to (or is measured at) and
// the model file that checks that size as a whole process.

import type { Model } from "../../src/index.ts";
import { casrot } from "./casrot.ts";
import { chaseLev } from "./chaseLev.ts";
import { coa } from "./coa.ts";
import { fibBench } from "./fibBench.ts";
import { indexer } from "./indexer.ts";
import { lastzero } from "./lastzero.ts";
import { readers } from "./readers.ts";
import { szymanski } from "./szymanski.ts";

export interface GenmcFamily {
  /** GenMC's name for the benchmark. */
  readonly name: string;
  /** What the size means. */
  readonly size: string;
  readonly build: (n: number) => Model;
  /** The size the benchmark runs at by default (the largest GenMC measures under SC). */
  readonly defaultSize: number;
  /** The file exporting the default-size model, for `pagerace check` (relative to the checkout). */
  readonly modelFile: string;
}

const family = (name: string, size: string, build: (n: number) => Model, defaultSize: number, file: string): GenmcFamily => ({
  name,
  size,
  build,
  defaultSize,
  modelFile: `bench/genmc/models/${file}.ts`,
});

export const genmcFamilies: readonly GenmcFamily[] = [
  family("fib_bench", "additions per thread", fibBench, 5, "fibBench"),
  family("lastzero", "writers", lastzero, 15, "lastzero"),
  family("CoA", "N (N-1 writers of y and z)", coa, 5, "coa"),
  family("casrot", "CAS threads", casrot, 9, "casrot"),
  family("indexer", "inserting threads", indexer, 15, "indexer"),
  family("readers", "readers", readers, 13, "readers"),
  family("szymanski", "critical-section entries per thread", szymanski, 1, "szymanski"),
  family("chase-lev", "stealers", chaseLev, 1, "chaseLev"),
];

export function genmcFamily(name: string): GenmcFamily {
  const f = genmcFamilies.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no GenMC family '${name}' (expected one of: ${genmcFamilies.map((x) => x.name).join(", ")})`);
  return f;
}

/** The family's model at its default size: what each file under models/ exports. */
export const defaultModel = (name: string): Model => {
  const f = genmcFamily(name);
  return f.build(f.defaultSize);
};
