// Seed 003's scenarios: Hugh Dickins / Kirill Shutemov, Aug 2015, the
// compound_head() hidden in every page-flag helper, and the two ways a tail's
// head pointer can be wrong without a reference: ABA through free and
// re-allocation (B1) and publication order in prep_compound_page (B2).

import type { Scenario } from "../scenario.ts";
import { abaThroughReallocScenario } from "./abaThroughRealloc.ts";
import { firstPagePublicationScenario } from "./firstPagePublication.ts";
import { fullBlockScanVariants } from "./fullBlockScan.ts";

// 003-B2's whole-path variants (the whole allocation vs a scan of the whole block) follow its cut-down ones.
const firstPagePublication: Scenario = { ...firstPagePublicationScenario, variants: [...firstPagePublicationScenario.variants, ...fullBlockScanVariants] };

export const seed003Scenarios: readonly Scenario[] = [abaThroughReallocScenario, firstPagePublication];
