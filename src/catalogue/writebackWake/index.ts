// §7.9 of the scenario notes: the writeback family. PG_writeback carries no
// page reference, so whoever touches the page after clearing it must bring one.

import type { Scenario } from "../scenario.ts";
import { wakeupVsReuseScenario } from "./wakeupVsReuse.ts";

export const writebackWakeScenarios: readonly Scenario[] = [wakeupVsReuseScenario];
