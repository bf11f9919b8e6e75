// §7.5 of the scenario notes: the TLB family. mremap moves ptes without an
// mmu_gather, so only the timing of its flush keeps a moved page alive.

import type { Scenario } from "../scenario.ts";
import { mremapVsTruncateScenario } from "./mremapVsTruncate.ts";

export const mremapTlbScenarios: readonly Scenario[] = [mremapVsTruncateScenario];
