// Seed 000 (Linus Torvalds, Oct 2020, "Some more lock_page work"): can
// fault-around map pages without the page lock, and the fuse write
// deadlock found on the way.

import type { Scenario } from "../scenario.ts";
import { unlockedMapPagesScenario } from "./unlockedMapPages.ts";
import { mapcountProtocolScenario } from "./mapcountProtocol.ts";
import { reclaimVsMapPagesScenario } from "./reclaimVsMapPages.ts";
import { fuseWriteDeadlockScenario } from "./fuseWriteDeadlock.ts";

export const seed000Scenarios: readonly Scenario[] = [unlockedMapPagesScenario, mapcountProtocolScenario, reclaimVsMapPagesScenario, fuseWriteDeadlockScenario];
