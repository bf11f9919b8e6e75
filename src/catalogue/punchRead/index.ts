// §7.10 of the scenario notes: hole punch against whatever adds pages to the
// page cache (read, readahead, fault). Page locks cannot close this window:
// the punch needs *no* page in the range while it frees the blocks, so it
// takes a lock that every path adding pages takes shared.

import type { Scenario } from "../scenario.ts";
import { punchVsReadScenario } from "./punchVsRead.ts";

export const punchReadScenarios: readonly Scenario[] = [punchVsReadScenario];
