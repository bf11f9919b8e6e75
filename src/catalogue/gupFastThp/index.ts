// §7.2 of the scenario notes: a lockless page-table walk against a THP
// split. A reference taken on what an entry pointed to is only good once
// the entry is read again.

import type { Scenario } from "../scenario.ts";
import { gupFastVsSplitScenario } from "./gupFastVsSplit.ts";

export const gupFastThpScenarios: readonly Scenario[] = [gupFastVsSplitScenario];
