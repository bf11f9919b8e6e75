// 003-B1: compound_head() on a tail nobody holds, while the compound page is
// freed and allocated again (Hugh Dickins, Aug 2015; Kirill's diagram in
// 1d798ca3f164). With the two-field encoding, "PageTail before and after"
// reading first_page does not mean "PageTail throughout": the scanner can
// read first_page while the page is free (NULL) or serving someone else
// (a slab's kmem_cache pointer), then see PG_tail set again by the next
// prep_compound_page, and return that value as the head. The one-word
// encoding reads tail bit and head in one access, so whatever it returns
// was true at that instant.

import { model, type Model } from "../../program/model.ts";
import { formatValue } from "../../program/value.ts";
import type { ThreadContext } from "../../program/threadContext.ts";
import type { Page } from "../../mm/page.ts";
import { Machine } from "../../mm/machine.ts";
import { COMPOUND_V3_14, COMPOUND_V4_4, checkTailsConsistent, declareCompoundPage, kernelObject, type CompoundKernel } from "../../mm/compound.ts";
import { FreeArea, allocPagesCompound, borrowBlock, putCompoundPage, type BlockUse } from "../../mm/buddy.ts";
import { isolateMigratepagesBlock } from "../../mm/pfnScanner.ts";
import { expectRace, type Scenario, type ScenarioModel, type Variant } from "../scenario.ts";

/** What uses the freed tail's union word before the block is allocated again. */
type Reuse = "none" | "buddy" | "slab" | "bit0";

export interface AbaConfig {
  readonly kernel: CompoundKernel;
  readonly order: number;
  /** Tail pfns the scanner walks (from the first tail). */
  readonly pfns: number;
  readonly reuse: Reuse;
  /** The scanner holds a reference on the compound page (Kirill's point: most callers do). */
  readonly scannerHoldsRef: boolean;
  /** false: one thread frees and re-allocates; true: the allocation is a thread of its own. */
  readonly separateAlloc: boolean;
}

export function abaThroughRealloc(name: string, cfg: AbaConfig, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const k = cfg.kernel;
    const c = declareCompoundPage(mc, { order: cfg.order, encoding: k.encoding, allocated: true, extraRefs: cfg.scannerHoldsRef ? 1 : 0 });
    const area = new FreeArea(mc, cfg.order, 0);
    const use = blockUse(mc, cfg, c.tails[0]!);

    m.thread("T_scan", function* (t) {
      if (cfg.scannerHoldsRef) t.step(`holds a reference on ${c.head.name}`);
      const heads = yield* isolateMigratepagesBlock(t, mc, c.tails.slice(0, cfg.pfns), k.compoundHead, [c.head]);
      if (cfg.scannerHoldsRef) yield* putCompoundPage(t, k, area, c);
      return heads;
    });

    const reallocate = function* (t: ThreadContext) {
      if (use !== undefined) yield* borrowBlock(t, k, area, c, use);
      yield* allocPagesCompound(t, k, area, c);
    };

    m.thread(cfg.separateAlloc ? "T_free" : "T_other", function* (t) {
      yield* putCompoundPage(t, k, area, c);
      if (!cfg.separateAlloc) yield* reallocate(t);
    });
    if (cfg.separateAlloc) m.thread("T_alloc", reallocate);

    // The witness: the scanner does resolve a tail to its compound head in some execution.
    m.exists("the scanner finds a tail's head", (s) => Object.values(s.result("T_scan") ?? {}).some((id) => id === c.head.id));
    checkTailsConsistent(mc, c);
    m.expect(expect);
  });
}

/**
 * Who uses the freed tail P1 before the block is a compound page again, and
 * what it leaves in P1's union word. `buddy`: an order-0 allocation splits
 * the block (expand), so P1 sits on a free list as an order-0 buddy: two-
 * field, page->private holds its order, 0, and first_page reads NULL (the
 * NULL of 1d798ca3f164's diagram); one-word, lru.next links it into the
 * free list. `slab`: Hugh's variant, P1 serves a slab: page->slab_cache
 * (two-field) or lru.next on the slab's partial list (one-word). `bit0`: a
 * hypothetical user that stores a value with bit 0 set.
 */
function blockUse(mc: Machine, cfg: AbaConfig, page: Page): BlockUse | undefined {
  const twoField = cfg.kernel.encoding === "two-field";
  const at = (field: string, what: string) => `${page.name}->${field} = ${what}`;
  switch (cfg.reuse) {
    case "none":
      return undefined;
    case "buddy":
      return {
        page,
        value: twoField ? 0 : kernelObject(mc, "free_area[0].free_list"),
        store: twoField ? at("private", "0 (set_page_order)") : at("lru.next", "&free_area[0].free_list"),
        take: "alloc_pages(order 0): expand() splits the block",
        use: `expand(): ${page.name} becomes a free order-0 buddy`,
        release: "__free_pages(order 0): the buddies merge again",
      };
    case "slab":
      return {
        page,
        value: kernelObject(mc, twoField ? "kmem_cache" : "kmem_cache_node.partial"),
        store: twoField ? at("slab_cache", "&kmem_cache") : at("lru.next", "&kmem_cache_node.partial"),
        take: "alloc_pages for allocate_slab",
        use: `allocate_slab(${page.name})`,
        release: `__free_slab(${page.name})`,
      };
    case "bit0": {
      const value = 0x101; // e.g. a list poison with bit 0 set
      return { page, value, store: at("lru.next", `${formatValue(value)} (bit 0 set)`), take: "alloc_pages for a union user", use: `a union user of ${page.name}`, release: `the union user frees ${page.name}` };
    }
  }
}

const base = { order: 1, pfns: 1, reuse: "buddy", scannerHoldsRef: false, separateAlloc: false } as const;

function variant(
  name: string,
  summary: string,
  cfg: Partial<AbaConfig> & { kernel: CompoundKernel },
  expect: "race" | "verified",
  size: Variant["size"] = "smallest",
  memoryModel: ScenarioModel = "sc",
): Variant {
  const full: AbaConfig = { ...base, ...cfg };
  return {
    memoryModel,
    size,
    name,
    summary,
    ...expectRace(expect === "race"),
    build: () => abaThroughRealloc(`003-B1-${name}`, full, expect === "race" ? "violation" : "verified"),
  };
}

export const abaThroughReallocScenario: Scenario = {
  id: "003-B1",
  seed: "003",
  title: "compound_head() on an unreferenced tail vs free and re-allocation (ABA)",
  invariant: "I-HEAD",
  variants: [
    variant(
      "buggy",
      "668f9abbd433 (v3.14–4.3, the seed's v4.2 tree): PG_tail + first_page with the smp_rmb re-check; between the two PageTail tests the page is freed, split into buddies (page->private = 0) and re-allocated: first_page read NULL (1d798ca3f164's diagram)",
      { kernel: COMPOUND_V3_14 },
      "race",
    ),
    variant(
      "union-reuse",
      "668f9abbd433: Hugh's variant, the freed tail serves a slab before re-allocation; first_page read as page->slab_cache (&kmem_cache)",
      { kernel: COMPOUND_V3_14, reuse: "slab" },
      "race",
    ),
    variant(
      "ref-held",
      "668f9abbd433 with a caller that holds a reference on the compound page (Kirill's reply: most call sites do; no free, so PageTail/first_page stay put)",
      { kernel: COMPOUND_V3_14, scannerHoldsRef: true },
      "verified",
    ),
    variant(
      "fixed",
      "1d798ca3f164 \"mm: make compound_head() robust\" (v4.4): tail bit and head in one word, one READ_ONCE",
      { kernel: COMPOUND_V4_4 },
      "verified",
    ),
    variant(
      "fixed-lkmm",
      "1d798ca3f164 under LKMM: one marked load of one word needs no ordering against the free and the re-allocation",
      { kernel: COMPOUND_V4_4 },
      "verified",
      "smallest",
      "lkmm",
    ),
    variant(
      "fixed-union-reuse",
      "1d798ca3f164 with Hugh's slab in between: the slab's lru.next (an aligned pointer) reads as not-a-tail",
      { kernel: COMPOUND_V4_4, reuse: "slab" },
      "verified",
    ),
    variant(
      "union-bit0",
      "1d798ca3f164's precondition broken: a union user storing a value with bit 0 set (why free_tail_pages_check asserts LIST_POISON1 is even)",
      { kernel: COMPOUND_V4_4, reuse: "bit0" },
      "race",
    ),
    variant(
      "buggy-order2-3threads",
      "668f9abbd433, order-2 page (4 struct pages), the scanner walks all 3 tails; free, slab reuse and re-allocation in separate threads",
      { kernel: COMPOUND_V3_14, order: 2, pfns: 3, reuse: "slab", separateAlloc: true },
      "race",
      "larger",
    ),
    variant(
      "fixed-order2-3threads",
      "1d798ca3f164, order-2 page (4 struct pages), the scanner walks all 3 tails; free, slab reuse and re-allocation in separate threads",
      { kernel: COMPOUND_V4_4, order: 2, pfns: 3, reuse: "slab", separateAlloc: true },
      "verified",
      "larger",
    ),
    variant(
      "fixed-order3-3threads",
      "1d798ca3f164, order-3 page (8 struct pages), the scanner walks all 7 tails; free, slab reuse and re-allocation in separate threads",
      { kernel: COMPOUND_V4_4, order: 3, pfns: 7, reuse: "slab", separateAlloc: true },
      "verified",
      "larger",
    ),
  ],
};
