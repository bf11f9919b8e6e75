// s7-03: COW can break either way (CVE-2020-29374, Jann Horn): a read-only
// GUP pin of a page shared after fork ends up on the wrong side of the COW.
//
// After fork, parent and child map one anonymous page read-only. The child
// pins it for reading (vmsplice: get_user_pages without FOLL_WRITE) and
// unmaps it (MADV_DONTNEED); the page is now mapped by the parent alone.
// The parent writes: do_wp_page sees mapcount 1 and reuses the page in
// place, so the child's pin, which should hold the contents of fork time,
// sees what the parent writes after. Two fixes, one after the other:
// - 17839856fd58 (v5.8) "gup: document and work around 'COW can break
//   either way' issue": a pinning walk of a COW mapping breaks COW even to
//   read, so the child pins a copy of its own;
// - 09854ba94c6a (v5.9) "mm: do_wp_page() simplification": reuse the page
//   only if page_count is 1; the child's pin keeps the count at 2, so the
//   parent copies.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { PageAllocator } from "../../mm/pageAlloc.ts";
import { anonPage, anonymousVma, checkMapcount } from "../../mm/anonymous.ts";
import type { WpReuseRule } from "../../mm/cow.ts";
import { getUserPage, handleMmFault } from "../../mm/gup.ts";
import { madviseDontneed } from "../../mm/madvise.ts";
import { putPage } from "../../mm/pageRef.ts";
import { downRead, upRead } from "../../kernel/rwsem.ts";
import { mkPte, ptePageId, pteWrite } from "../../mm/pte.ts";

export const I_COW_PIN = "I-COW-PIN: a page pinned for reading keeps the contents it had when pinned";

interface Protocol {
  readonly reuse: WpReuseRule;
  readonly breakCowOnRead: boolean;
}

export function gupPinVsCow(name: string, p: Protocol): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const S = anonPage(mc, "S", 2);
    const parent = anonymousVma(mc, "parent", mc.mm("parent"), 1, { ptes: () => mkPte(S.id) });
    const child = anonymousVma(mc, "child", mc.mm("child"), 1, { ptes: () => mkPte(S.id) });
    const alloc = new PageAllocator(mc, { free: [mc.page("C"), mc.page("D")] });
    // The contents of each page: what the parent last wrote to it (0: the contents at fork).
    const data = m.array("data", mc.pages.length + 1, 0);
    m.thread("child", function* (t) {
      t.step("vmsplice: get_user_pages(child, read)");
      yield* downRead(t, child.mm.mmapLock);
      const pinned = yield* getUserPage(t, mc, child, 0, 0, { cow: "foll-cow", alloc, breakCowOnRead: p.breakCowOnRead, wp: { reuse: p.reuse } });
      yield* upRead(t, child.mm.mmapLock);
      if (pinned === undefined) return;
      yield* madviseDontneed(t, mc, child, 0, 1);
      t.step(`read the pinned ${pinned.name}`);
      const seen = yield* t.read(data[pinned.id]!, "once");
      t.assert(seen === 0, `${I_COW_PIN}: the child's pin on ${pinned.name} sees the parent's write ${seen}`);
      yield* putPage(t, pinned);
    });
    m.thread("parent", function* (t) {
      t.step("parent writes");
      let pte = yield* t.read(parent.pte[0]!, "once");
      if (!pteWrite(pte)) {
        yield* downRead(t, parent.mm.mmapLock);
        yield* handleMmFault(t, mc, alloc, parent, 0, true, { reuse: p.reuse });
        yield* upRead(t, parent.mm.mmapLock);
        pte = yield* t.read(parent.pte[0]!, "once");
      }
      if (pteWrite(pte)) yield* t.write(data[ptePageId(pte)]!, 1, "once", undefined, `parent: data(${mc.pageById(ptePageId(pte))!.name}) = 1`);
    });
    checkMapcount(mc);
    mc.checkFree();
  });
}

function variant(name: string, summary: string, p: Protocol, race: boolean): Variant {
  return {
    name,
    summary,
    ...expectRace(race),
    memoryModel: "sc",
    size: "smallest",
    build: () => gupPinVsCow(`s7-03 ${name}`, p),
  };
}

const BUGGY: [string, Protocol] = ["v2.6–v5.7: a read-only GUP pin does not break COW; do_wp_page reuses a page mapped once", { reuse: "mapcount", breakCowOnRead: false }];
const GUP_COW: [string, Protocol] = ["17839856fd58 (v5.8) gup: document and work around \"COW can break either way\" issue — a pinning walk breaks COW even to read", { reuse: "mapcount", breakCowOnRead: true }];
const PAGE_COUNT: [string, Protocol] = ["09854ba94c6a (v5.9) mm: do_wp_page() simplification — reuse only when page_count is 1, so a pin forces the copy", { reuse: "refcount", breakCowOnRead: false }];

export const gupPinVsCowScenario: Scenario = {
  id: "s7-03",
  seed: "s7",
  title: "COW can break either way: a read pin taken before the parent's write sees that write (CVE-2020-29374)",
  invariant: I_COW_PIN,
  variants: [
    variant("buggy", ...BUGGY, true),
    variant("gup-breaks-cow", ...GUP_COW, false),
    variant("page-count", ...PAGE_COUNT, false),
  ],
};
