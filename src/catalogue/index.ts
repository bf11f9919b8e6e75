// Every catalogue scenario: the five seeds in order, then the families of
// the scenario notes' §7 (seed `s7`, ids numbered by their §7 item).

import type { Scenario } from "./scenario.ts";
import { seed000Scenarios } from "./seed000/index.ts";
import { seed001Scenarios } from "./seed001/index.ts";
import { seed002Scenarios } from "./seed002/index.ts";
import { seed003Scenarios } from "./seed003/index.ts";
import { seed004Scenarios } from "./seed004/index.ts";
import { mremapTlbScenarios } from "./mremapTlb/index.ts";
import { truncateRecheckScenarios } from "./truncateRecheck/index.ts";
import { writebackWakeScenarios } from "./writebackWake/index.ts";
import { punchReadScenarios } from "./punchRead/index.ts";
import { speculativeLookupScenarios } from "./speculativeLookup/index.ts";
import { gupFastThpScenarios } from "./gupFastThp/index.ts";
import { cowDirectionScenarios } from "./cowDirection/index.ts";
import { dirtyCowScenarios } from "./dirtyCow/index.ts";
import { swapScenarios } from "./swapoff/index.ts";
import { thpDontneedScenarios } from "./thpDontneed/index.ts";
import { seqcountScenarios } from "./seqcount/index.ts";

export type { Scenario, Variant, VariantVerdict, RaceKind, ScenarioModel } from "./scenario.ts";

export const scenarios: readonly Scenario[] = [
  ...seed000Scenarios,
  ...seed001Scenarios,
  ...seed002Scenarios,
  ...seed003Scenarios,
  ...seed004Scenarios,
  ...gupFastThpScenarios,
  ...cowDirectionScenarios,
  ...dirtyCowScenarios,
  ...mremapTlbScenarios,
  ...truncateRecheckScenarios,
  ...speculativeLookupScenarios,
  ...swapScenarios,
  ...thpDontneedScenarios,
  ...writebackWakeScenarios,
  ...punchReadScenarios,
  ...seqcountScenarios,
];
