// Execution counts GenMC reports for its benchmarks: what pagerace, running
// the same algorithm (TruSt) on the same programs, must find.

export type ComparedModel = "sc" | "tso";

export interface PublishedCount {
  /** The family's name in families.ts (GenMC's benchmark name). */
  readonly family: string;
  readonly size: number;
  readonly model: ComparedModel;
  /** Complete executions (blocked ones are not counted). */
  readonly executions: number;
  readonly source: string;
  /** GenMC's executions per second of exploration CPU, where measured on this kind of machine. */
  readonly perSecond?: number;
}

/** CPU seconds GenMC takes before it explores (clang compiling the program included), measured on a two-thread program. */
export const GENMC_START_UP_S = 0.06;

const MEASURED = "GenMC v0.11, measured";
/** The expected counts GenMC's own test suite checks (tests/correct/.../expected.sc.mo.in). */
const TEST_SUITE = "GenMC test suite";

const row = (family: string, size: number, model: ComparedModel, executions: number, source: string, perSecond?: number): PublishedCount => ({
  family,
  size,
  model,
  executions,
  source,
  perSecond,
});

export const publishedCounts: readonly PublishedCount[] = [
  row("fib_bench", 5, "sc", 218_243, MEASURED, 112_000),
  row("lastzero", 15, "sc", 147_456, MEASURED, 12_200),
  row("CoA", 5, "sc", 49_776, MEASURED, 221_000),
  row("casrot", 9, "sc", 8_597, MEASURED, 146_000),
  row("indexer", 15, "sc", 4_096, MEASURED, 1_600),
  row("readers", 13, "sc", 8_192, MEASURED, 36_000),
  row("CoA", 4, "tso", 2_304, MEASURED, 58_000),
  row("fib_bench", 3, "tso", 2_258, MEASURED, 133_000),
  row("casrot", 9, "tso", 8_597, MEASURED, 115_000),
  row("readers", 13, "tso", 8_192, MEASURED, 34_000),
  row("lastzero", 10, "tso", 3_328, MEASURED, 18_000),

  ...[1, 2, 3, 4].map((n, i) => row("CoA", n, "sc", [4, 15, 130, 2_028][i]!, TEST_SUITE)),
  ...[2, 3, 4, 5, 6, 7, 8].map((n, i) => row("casrot", n, "sc", [2, 5, 14, 43, 144, 523, 2_048][i]!, TEST_SUITE)),
  row("lastzero", 5, "sc", 64, TEST_SUITE),
  row("lastzero", 10, "sc", 3_328, TEST_SUITE),
  row("indexer", 12, "sc", 8, TEST_SUITE),
  row("readers", 2, "sc", 4, TEST_SUITE),
  row("readers", 8, "sc", 256, TEST_SUITE),
  row("chase-lev", 1, "sc", 59, TEST_SUITE),
];

export function publishedCount(family: string, size: number, model: ComparedModel): PublishedCount | undefined {
  return publishedCounts.find((c) => c.family === family && c.size === size && c.model === model);
}
