// §7.4 of the scenario notes: get_user_pages writing where the process
// cannot, and how it knows it broke COW.

import type { Scenario } from "../scenario.ts";
import { forcedWriteVsDontneedScenario } from "./forcedWriteVsDontneed.ts";

export const dirtyCowScenarios: readonly Scenario[] = [forcedWriteVsDontneedScenario];
