// §7.6 of the scenario notes: truncation against whoever else removes pages
// from the page cache while it sleeps on a page lock.

import type { Scenario } from "../scenario.ts";
import { recheckMappingScenario } from "./recheckMapping.ts";

export const truncateRecheckScenarios: readonly Scenario[] = [recheckMappingScenario];
