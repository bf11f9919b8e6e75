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
  /**
   * The size benchmarked under TSO: GenMC's measured TSO size where there is
   * one, else one that explores in about a second (TSO's consistency check
   * costs far more per event than SC's).
   */
  readonly tsoSize: number;
  /** The file exporting the default-size model, for `pagerace check` (relative to the checkout). */
  readonly modelFile: string;
  /** The file exporting the TSO-size model. */
  readonly tsoModelFile: string;
}

const family = (f: Omit<GenmcFamily, "modelFile" | "tsoModelFile">, file: string): GenmcFamily => ({
  ...f,
  modelFile: `bench/genmc/models/${file}.ts`,
  tsoModelFile: f.tsoSize === f.defaultSize ? `bench/genmc/models/${file}.ts` : `bench/genmc/models/${file}Tso.ts`,
});

export const genmcFamilies: readonly GenmcFamily[] = [
  family({ name: "fib_bench", size: "additions per thread", build: fibBench, defaultSize: 5, tsoSize: 3 }, "fibBench"),
  family({ name: "lastzero", size: "writers", build: lastzero, defaultSize: 15, tsoSize: 10 }, "lastzero"),
  family({ name: "CoA", size: "N (N-1 writers of y and z)", build: coa, defaultSize: 5, tsoSize: 4 }, "coa"),
  family({ name: "casrot", size: "CAS threads", build: casrot, defaultSize: 9, tsoSize: 9 }, "casrot"),
  family({ name: "indexer", size: "inserting threads", build: indexer, defaultSize: 15, tsoSize: 13 }, "indexer"),
  family({ name: "readers", size: "readers", build: readers, defaultSize: 13, tsoSize: 13 }, "readers"),
  family({ name: "szymanski", size: "critical-section entries per thread", build: szymanski, defaultSize: 1, tsoSize: 1 }, "szymanski"),
  family({ name: "chase-lev", size: "stealers", build: chaseLev, defaultSize: 1, tsoSize: 1 }, "chaseLev"),
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

/** The family's model at its TSO size: what each file under models/ named ...Tso exports. */
export const tsoModel = (name: string): Model => {
  const f = genmcFamily(name);
  return f.build(f.tsoSize);
};
