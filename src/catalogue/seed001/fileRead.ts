// The reader that 001-B3's zero-filling would expose: read(2) through the
// page cache. An uptodate page is copied out without its lock; only a page
// that is not uptodate is locked and read in from disk first.
// (Seed-specific for now; it belongs in src/mm once another scenario reads.)

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { setBit, testBit } from "../../kernel/bitops.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import type { Machine } from "../../mm/machine.ts";
import { findGetPage, lockPage, unlockPage } from "../../mm/pageCache.ts";
import { putPage } from "../../mm/pageRef.ts";
import type { PageContents } from "../../mm/writePath.ts";

/** do_generic_mapping_read(), v2.6.18–2.6.2x, for one page: the cells it copied to user space, or undefined if the page was gone. */
export function* doGenericFileRead(t: ThreadContext, mc: Machine, f: AddressSpace, index: number, c: PageContents): Access<number[] | undefined> {
  t.step(`do_generic_file_read(${f.name}, ${index}): find_get_page`);
  const p = yield* findGetPage(t, mc, f, index);
  if (p === undefined) return undefined;
  t.step(`PageUptodate(${p.name})`);
  if (!(yield* testBit(t, p.flag("uptodate")))) {
    t.step(`page_not_up_to_date: lock_page(${p.name})`);
    yield* lockPage(t, p);
    if (!(yield* testBit(t, p.flag("uptodate")))) {
      // ->readpage; its I/O completion sets PG_uptodate and unlocks
      t.step(`readpage(${p.name}): read the block from disk`);
      for (const cell of c.cells) yield* t.write(cell, c.disk, "plain", undefined, "block read");
      yield* setBit(t, p.flag("uptodate"));
    }
    yield* unlockPage(t, p);
  }
  t.step(`copy ${p.name} to user space`);
  const out: number[] = [];
  for (const cell of c.cells) out.push(yield* t.read(cell, "plain"));
  yield* putPage(t, p);
  return out;
}
