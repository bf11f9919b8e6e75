// §7.7 of the scenario notes: the swap family. A swap entry read from a pte
// without the PTL is only a hint: the device may be going and the pte may
// have been filled by someone else.

import type { Scenario } from "../scenario.ts";
import { swapinVsSwapoffScenario } from "./swapinVsSwapoff.ts";
import { swapinPteSameScenario } from "./swapinPteSame.ts";

export const swapScenarios: readonly Scenario[] = [swapinVsSwapoffScenario, swapinPteSameScenario];
