// 000-B1: Kirill's objection to Linus's RFC (14 Oct 2020). The RFC lets
// filemap_map_pages map pages of a *private* mapping without the page lock,
// keeping only the page->mapping and i_size checks. Those checks narrow the
// window but do not close it: truncate can run from start to finish between
// them and the pte being set, leaving a pte to a page that has left the page
// cache (mapping == NULL) beyond EOF. What was merged instead,
// f9ce0be71d1f (v5.12), keeps the page lock as a trylock inside
// next_uptodate_page and re-checks mapping and i_size under it.
//
// Smallest: one cached page, i_size 1 -> 0, one private VMA. Larger: four
// cached pages, fault-around over all four, and two processes truncating,
// one to 2 pages and one to 0 (two faulters and a truncate is beyond a
// minute: every pair of their reference, mapcount and page-lock RMWs on
// each of the four pages doubles the executions).
//
// Page flags are one location each ("split"): only PG_locked changes here,
// so the word layout would add nothing but executions.

import { model, type Model } from "../../program/model.ts";
import type { ThreadContext, Access } from "../../program/threadContext.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import type { Vma } from "../../mm/vma.ts";
import { truncate } from "../../mm/truncate.ts";
import { filemapMapPagesRfc, filemapMapPagesV511, filemapMapPagesV512 } from "../../mm/faultAround.ts";

type MapPages = (t: ThreadContext, mc: Machine, v: Vma, from: number, to: number) => Access<number>;

const MAP_PAGES: Record<"rfc" | "v5.11" | "v5.12", MapPages> = {
  rfc: filemapMapPagesRfc,
  "v5.11": filemapMapPagesV511,
  "v5.12": filemapMapPagesV512,
};

export interface FaultAroundShape {
  readonly pages: number;
  readonly faulters: number;
  /** One truncating thread per entry, cutting F to that many pages. */
  readonly truncates: readonly number[];
  readonly shared?: boolean;
}

/** `faulters` processes each map F privately (or shared) and fault around [0, pages) while the truncates run. */
export function faultAroundVsTruncate(name: string, version: keyof typeof MAP_PAGES, shape: FaultAroundShape, expect: "violation" | "verified"): Model {
  const { pages, faulters, truncates } = shape;
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const F = mc.file("F", { size: pages, cached: Array.from({ length: pages }, (_, index) => ({ index })) });
    const one = faulters === 1;
    const vmas = Array.from({ length: faulters }, (_, k) => mc.vma(one ? "M" : `M${k + 1}`, mc.mm(one ? "mm" : `mm${k + 1}`), F, { shared: shape.shared ?? false }));
    vmas.forEach((v, k) =>
      m.thread(one ? "fault" : `fault${k + 1}`, function* (t) {
        t.step(`do_fault_around(${v.name})`);
        return { mapped: yield* MAP_PAGES[version](t, mc, v, 0, pages) };
      }),
    );
    truncates.forEach((newSize) =>
      m.thread(truncates.length === 1 ? "trunc" : `trunc${newSize}`, function* (t) {
        yield* truncate(t, mc, F, newSize);
      }),
    );
    const faultThreads = vmas.map((_, k) => (one ? "fault" : `fault${k + 1}`));
    m.exists("the fault-around maps a page", (s) => faultThreads.some((thread) => ((s.result(thread)?.mapped as number | undefined) ?? 0) > 0));
    mc.checkTruncation();
    mc.checkFree();
    m.expect(expect);
  });
}

const SMALLEST: FaultAroundShape = { pages: 1, faulters: 1, truncates: [0] };
const LARGER: FaultAroundShape = { pages: 4, faulters: 1, truncates: [2, 0] };

const variant = (name: string, summary: string, version: keyof typeof MAP_PAGES, race: boolean, shape: FaultAroundShape = SMALLEST): Variant => ({
  name,
  summary,
  ...expectRace(race),
  memoryModel: "sc",
  size: shape.pages === 1 && shape.faulters + shape.truncates.length === 2 ? "smallest" : "larger",
  build: () => faultAroundVsTruncate(`000-B1 ${name}`, version, shape, race ? "violation" : "verified"),
});

export const unlockedMapPagesScenario: Scenario = {
  id: "000-B1",
  seed: "000",
  title: "Linus's RFC: map_pages without the page lock for private mappings vs truncate (Kirill's objection)",
  invariant: "I-TRUNC",
  variants: [
    variant("rfc", "Linus's RFC 4/4 (13 Oct 2020): private mappings skip trylock_page, only page->mapping and i_size are checked", "rfc", true),
    variant("rfc-shared", "the same RFC on a shared mapping, which keeps trylock_page: the page lock still excludes truncate", "rfc", false, { ...SMALLEST, shared: true }),
    variant("v5.11", "filemap_map_pages before the thread (v5.11): trylock_page, mapping and i_size re-checked under it, alloc_set_pte", "v5.11", false),
    variant("fixed", "f9ce0be71d1f \"mm: Cleanup faultaround and finish_fault() codepaths\" (v5.12): next_uptodate_page, PTL once per batch", "v5.12", false),
    variant("rfc-4p3t", "Linus's RFC, fault-around over 4 pages of a private mapping vs truncate(F, 2) and truncate(F, 0)", "rfc", true, LARGER),
    variant("fixed-4p3t", "f9ce0be71d1f (v5.12), fault-around over 4 pages of a private mapping vs truncate(F, 2) and truncate(F, 0)", "v5.12", false, LARGER),
  ],
};
