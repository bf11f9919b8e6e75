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
import { SIZES } from "./sizes.ts";

export interface GenmcFamily {
  /** GenMC's name for the benchmark. */
  readonly name: string;
  /** What the size means. */
  readonly size: string;
  readonly build: (n: number) => Model;
  /** The size the benchmark runs at by default, and the one under TSO (sizes.ts). */
  readonly defaultSize: number;
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
  family({ name: "fib_bench", size: "additions per thread", build: fibBench, ...SIZES.fib_bench }, "fibBench"),
  family({ name: "lastzero", size: "writers", build: lastzero, ...SIZES.lastzero }, "lastzero"),
  family({ name: "CoA", size: "N (N-1 writers of y and z)", build: coa, ...SIZES.CoA }, "coa"),
  family({ name: "casrot", size: "CAS threads", build: casrot, ...SIZES.casrot }, "casrot"),
  family({ name: "indexer", size: "inserting threads", build: indexer, ...SIZES.indexer }, "indexer"),
  family({ name: "readers", size: "readers", build: readers, ...SIZES.readers }, "readers"),
  family({ name: "szymanski", size: "critical-section entries per thread", build: szymanski, ...SIZES.szymanski }, "szymanski"),
  family({ name: "chase-lev", size: "stealers", build: chaseLev, ...SIZES["chase-lev"] }, "chaseLev"),
];

export function genmcFamily(name: string): GenmcFamily {
  const f = genmcFamilies.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no GenMC family '${name}' (expected one of: ${genmcFamilies.map((x) => x.name).join(", ")})`);
  return f;
}
