// How the C11 memory orders of GenMC's benchmarks map onto pagerace's access
// modes. SC ignores modes and TSO reads only RMWs (always locked) and `mb`
// fences, so under the two models compared with GenMC the choice changes no
// execution; it keeps the translation readable and the models usable under
// LKMM.

import type { AccessMode } from "../../src/index.ts";

export const c11 = {
  /** A non-atomic access. */
  na: "plain",
  relaxed: "relaxed",
  acquire: "acquire",
  release: "release",
  /** acq_rel and seq_cst RMWs: the strongest mode pagerace has. */
  seqCst: "mb",
} as const satisfies Record<string, AccessMode>;
