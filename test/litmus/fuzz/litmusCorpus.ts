// The litmus tests the fuzzer mutates: the shared corpus of kernel and
// herdtools7 tests (/work/shared/litmus, or PAGERACE_LITMUS_CORPUS). A
// clone without it fuzzes grammar-generated tests only, and says so.

import { existsSync, readFileSync } from "node:fs";
import { litmusFilesUnder } from "../../../src/litmus/run/litmusFiles.ts";

export const DEFAULT_CORPUS = "/work/shared/litmus";

export interface LitmusCorpus {
  readonly folder: string;
  /** Empty when the folder is absent. */
  readonly texts: readonly string[];
}

export function loadLitmusCorpus(folder = process.env.PAGERACE_LITMUS_CORPUS ?? DEFAULT_CORPUS): LitmusCorpus {
  if (!existsSync(folder)) return { folder, texts: [] };
  return { folder, texts: litmusFilesUnder(folder).map((f) => readFileSync(f, "utf8")) };
}
