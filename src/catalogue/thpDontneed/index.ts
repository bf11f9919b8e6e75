// §7.8 of the scenario notes: MADV_DONTNEED against paths that rewrite a
// huge pmd under mmap_lock for read.

import type { Scenario } from "../scenario.ts";
import { dontneedVsNumaScenario } from "./dontneedVsNuma.ts";

export const thpDontneedScenarios: readonly Scenario[] = [dontneedVsNumaScenario];
