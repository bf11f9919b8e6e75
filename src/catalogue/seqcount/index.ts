// A seqcount reader against its writer: the kernel primitive under the
// 32-bit i_size, with the barriers that make it work under LKMM.

import type { Scenario } from "../scenario.ts";
import { iSizeReadScenario } from "./iSizeRead.ts";

export const seqcountScenarios: readonly Scenario[] = [iSizeReadScenario];
