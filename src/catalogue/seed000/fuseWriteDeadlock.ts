// 000-B4: the fuse write deadlock of the seed's subthread (Oct 2020). Vivek
// Goyal's reproducer: mmap two pages of a fuse file MAP_SHARED and pwritev
// into the same file at 8192-12 from iov = [map+0 (12 bytes), map+4096 (12
// bytes)]. The first 12 bytes end target page 1, which stays locked in the
// request; the second chunk's source is map+4096 = file page 1, so faulting
// it in sleeps in filemap_fault's lock_page on the page the writer holds.
// Two writers that each write one file from an mmap of the other cross the
// same way (ABBA). 4f06dd92b5d0 unlocks page 1 at once (it is uptodate);
// page 2, partly written and not uptodate, ends the batch locked.
//
// Files have 3 pages; pages 0 and 1 are cached and uptodate (they are the
// mmapped source), page 2 is cached but not uptodate; no pte is present.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import type { Vma } from "../../mm/vma.ts";
import { mappedUserPage } from "../../mm/userMemory.ts";
import { fuseCacheWriteIter, type FuseWriteVersion, type WriteChunk } from "../../mm/fuseWrite.ts";

/** pwritev(fd, [map+0 (12 B), map+4096 (12 B)], 8192 - 12) with map = mmap(2 pages of `source`, MAP_SHARED). */
function crossingWrite(mc: Machine, map: Vma): WriteChunk[] {
  return [
    { index: 1, source: mappedUserPage(mc, map, 0), wholePage: false, toPageEnd: true },
    { index: 2, source: mappedUserPage(mc, map, 1), wholePage: false, toPageEnd: false },
  ];
}

function fuseFile(mc: Machine, name: string): AddressSpace {
  const page = (index: number, flags?: []) => ({ index, name: `${name}.P${index}`, ...(flags ? { flags } : {}) });
  return mc.file(name, { size: 3, cached: [page(0), page(1), page(2, [])] });
}

/** One process writes F from its own mmap of F. */
function selfWrite(name: string, version: FuseWriteVersion, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const F = fuseFile(mc, "F");
    const map = mc.vma("map", mc.mm(), F, { shared: true });
    m.thread("pwritev", function* (t) {
      return { written: yield* fuseCacheWriteIter(t, mc, F, crossingWrite(mc, map), version) };
    });
    m.expect(expect);
  });
}

/** Process A writes G from its mmap of F; process B writes F from its mmap of G. */
function crossedWrites(name: string, version: FuseWriteVersion, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const F = fuseFile(mc, "F");
    const G = fuseFile(mc, "G");
    const mapF = mc.vma("mapF", mc.mm("mmA"), F, { shared: true });
    const mapG = mc.vma("mapG", mc.mm("mmB"), G, { shared: true });
    m.thread("A: pwritev(G)", function* (t) {
      return { written: yield* fuseCacheWriteIter(t, mc, G, crossingWrite(mc, mapF), version) };
    });
    m.thread("B: pwritev(F)", function* (t) {
      return { written: yield* fuseCacheWriteIter(t, mc, F, crossingWrite(mc, mapG), version) };
    });
    m.expect(expect);
  });
}

const variant = (name: string, summary: string, build: typeof selfWrite, version: FuseWriteVersion): Variant => {
  const race = version === "ea9b9907b82a";
  return {
    name,
    summary,
    ...expectRace(race, "deadlock"),
    memoryModel: "sc",
    size: "smallest",
    build: () => build(`000-B4 ${name}`, version, race ? "violation" : "verified"),
  };
};

export const fuseWriteDeadlockScenario: Scenario = {
  id: "000-B4",
  seed: "000",
  title: "fuse write from an mmap of the written file: page locks held across fault-in (self-deadlock, ABBA)",
  invariant: "I-DEADLOCK",
  variants: [
    variant("buggy", "ea9b9907b82a \"fuse: implement perform_write\" (2.6.26..v5.12): the batch's pages stay locked while the next source is faulted in", selfWrite, "ea9b9907b82a"),
    variant("fixed", "4f06dd92b5d0 \"fuse: fix write deadlock\" (v5.13): uptodate pages unlocked at once, a partial non-uptodate page ends the batch", selfWrite, "4f06dd92b5d0"),
    variant("abba", "ea9b9907b82a, two writers crosswise (A writes G from an mmap of F, B writes F from an mmap of G)", crossedWrites, "ea9b9907b82a"),
    variant("abba-fixed", "4f06dd92b5d0, the same two crossing writers", crossedWrites, "4f06dd92b5d0"),
  ],
};
