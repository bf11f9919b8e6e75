// Seed 002's scenarios: Johannes Weiner / KOSAKI Motohiro, Oct 2009,
// "munlock COW pages on truncation unmap" (seeds/002_96f7003a0b714dd9.txt).

import type { Scenario } from "../scenario.ts";
import { b0Variants } from "./b0MlockedCowFreed.ts";
import { b1Variants } from "./b1ReclaimRemlock.ts";
import { b2Variants } from "./b2ExplicitMlock.ts";
import { b3Variants } from "./b3PutbackOrdering.ts";
import { b3FullPathVariants } from "./b3FullPath.ts";

export const seed002Scenarios: readonly Scenario[] = [
  {
    id: "002-B0",
    seed: "002",
    title: "truncation frees an mlocked COW page of a VM_LOCKED private mapping",
    invariant: "I-FREE",
    variants: b0Variants,
  },
  {
    id: "002-B1",
    seed: "002",
    title: "RFC 3/3's munlock in zap_pte_range vs reclaim re-mlocking through try_to_unmap",
    invariant: "I-FREE",
    variants: b1Variants,
  },
  {
    id: "002-B2",
    seed: "002",
    title: "explicit mlock() pins, then mlocks, a COW page truncation has just munlocked and unmapped",
    invariant: "I-FREE",
    variants: b2Variants,
  },
  {
    id: "002-B3",
    seed: "002",
    title: "putback_lru_page vs TestClearPageMlocked: store buffering strands a page on the unevictable list",
    invariant: "I-LRU",
    variants: [...b3Variants, ...b3FullPathVariants],
  },
];
