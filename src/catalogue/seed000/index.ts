// Seed 000 (Linus Torvalds, Oct 2020, "Some more lock_page work"): can
// fault-around map pages without the page lock, and the fuse write
// deadlock found on the way.

import type { Scenario } from "../scenario.ts";
import { unlockedMapPagesScenario } from "./unlockedMapPages.ts";
import { mapcountProtocolScenario } from "./mapcountProtocol.ts";
import { mapcountFullPathVariants } from "./mapcountFullPath.ts";
import { reclaimVsMapPagesScenario } from "./reclaimVsMapPages.ts";
import { fuseWriteDeadlockScenario } from "./fuseWriteDeadlock.ts";

// 000-B2's whole-path variants (map_pages and truncate(2) entire) follow its cut-down ones.
const mapcountProtocol: Scenario = { ...mapcountProtocolScenario, variants: [...mapcountProtocolScenario.variants, ...mapcountFullPathVariants] };

export const seed000Scenarios: readonly Scenario[] = [unlockedMapPagesScenario, mapcountProtocol, reclaimVsMapPagesScenario, fuseWriteDeadlockScenario];
