// FT(p, f): page fault against truncate, the shape of seed 001's race.
// p pages are in the page cache of a file of p pages; f threads fault on
// page (j mod p); one thread truncates the file to one page. The end check:
// no pte maps a page beyond i_size or one that left the page cache.
//
// Fixed: the fault locks the page and re-checks, under the lock, that the
// page is still cached and below i_size (filemap_fault since 2.6.23).
// Buggy: no page lock and no re-check.

import { model, type Model } from "../src/index.ts";
import type { ThreadContext } from "../src/program/threadContext.ts";
import type { Loc } from "../src/program/value.ts";

function* lockPage(t: ThreadContext, lock: Loc) {
  yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire", "lock_page");
}

function* unlockPage(t: ThreadContext, lock: Loc) {
  yield* t.write(lock, 0, "release", undefined, "unlock_page");
}

/**
 * `identicalFaulters`: declare the faulters of one page identical (fault j
 * and fault j + p run the same code), so that symmetry reduction explores
 * one execution per class of exchanges of them.
 */
export function faultTruncate(pages: number, faulters: number, variant: "fixed" | "buggy" = "fixed", identicalFaulters = false): Model {
  const newSize = 1;
  return model(`FT(${pages},${faulters})-${variant}${identicalFaulters ? " (identical faulters)" : ""}`, (m) => {
    const iSize = m.location("i_size", pages);
    const cached = m.array("cached", pages, 1);
    const locked = m.array("locked", pages, 0);
    const pte = m.array("pte", pages, 0);

    for (let j = 0; j < faulters; j++) {
      const idx = j % pages;
      const declared = identicalFaulters ? { identical: `fault(${idx})` } : {};
      m.thread(`fault${j}`, function* (t) {
        t.step(`filemap_fault(${idx}): check i_size`);
        if (idx >= (yield* t.read(iSize))) return;
        t.step("find_get_page");
        if ((yield* t.read(cached[idx]!)) === 0) return;
        if (variant === "fixed") {
          t.step("lock_page");
          yield* lockPage(t, locked[idx]!);
          t.step("re-check under the page lock");
          const still = (yield* t.read(cached[idx]!)) === 1 && idx < (yield* t.read(iSize));
          if (still) {
            t.step("set_pte");
            yield* t.write(pte[idx]!, 1);
          }
          t.step("unlock_page");
          yield* unlockPage(t, locked[idx]!);
        } else {
          t.step("set_pte");
          yield* t.write(pte[idx]!, 1);
        }
      }, declared);
    }

    m.thread("truncate", function* (t) {
      t.step(`i_size_write(${newSize})`);
      yield* t.write(iSize, newSize);
      t.step("unmap_mapping_range");
      for (let i = newSize; i < pages; i++) yield* t.write(pte[i]!, 0);
      t.step("truncate_inode_pages");
      for (let i = newSize; i < pages; i++) {
        yield* lockPage(t, locked[i]!);
        yield* t.write(pte[i]!, 0);
        yield* t.write(cached[i]!, 0);
        yield* unlockPage(t, locked[i]!);
      }
    });

    m.expect(variant === "fixed" ? "verified" : "violation");
    m.forall("no pte maps a page beyond i_size or out of the page cache", (s) =>
      pte.every((p, i) => s.int(p) === 0 || (i < s.int(iSize) && s.int(cached[i]!) === 1)),
    );
  });
}

export default [faultTruncate(2, 2, "buggy"), faultTruncate(2, 2, "fixed"), faultTruncate(3, 3, "fixed")];
