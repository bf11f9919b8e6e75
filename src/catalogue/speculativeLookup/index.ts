// §7.6 of the scenario notes, its other half: reclaim against a lockless
// (speculative) page-cache lookup. The lookup's reference may land on a page
// that was freed and reused, so it must re-check the slot after taking it.

import type { Scenario } from "../scenario.ts";
import { lookupVsReuseScenario } from "./lookupVsReuse.ts";

export const speculativeLookupScenarios: readonly Scenario[] = [lookupVsReuseScenario];
