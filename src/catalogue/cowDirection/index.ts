// §7.3 of the scenario notes: which side of a COW a GUP pin ends up on.

import type { Scenario } from "../scenario.ts";
import { gupPinVsCowScenario } from "./gupPinVsCow.ts";

export const cowDirectionScenarios: readonly Scenario[] = [gupPinVsCowScenario];
