// The sizes each GenMC family is benchmarked at: the one GenMC's benchmark
// defaults to (or is measured at) under SC, and the one under TSO (GenMC's
// measured TSO size where there is one, else one that explores in about a
// second: TSO's consistency check costs far more per event than SC's).
// Apart from families.ts so that a model file under models/ loads its own
// family and nothing else, as GenMC compiles one program.

export interface Sizes {
  readonly defaultSize: number;
  readonly tsoSize: number;
}

export const SIZES = {
  fib_bench: { defaultSize: 5, tsoSize: 3 },
  lastzero: { defaultSize: 15, tsoSize: 10 },
  CoA: { defaultSize: 5, tsoSize: 4 },
  casrot: { defaultSize: 9, tsoSize: 9 },
  indexer: { defaultSize: 15, tsoSize: 13 },
  readers: { defaultSize: 13, tsoSize: 13 },
  szymanski: { defaultSize: 1, tsoSize: 1 },
  "chase-lev": { defaultSize: 1, tsoSize: 1 },
} as const satisfies Readonly<Record<string, Sizes>>;
