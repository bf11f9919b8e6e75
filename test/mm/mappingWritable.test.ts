// i_mmap_writable: mapping_map_writable and mapping_deny_writable exclude
// each other (memfd's F_SEAL_WRITE against a writable mmap); a check of the
// seal followed by an increment does not. Counts against the oracles.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { mappingAllowWritable, mappingDenyWritable, mappingMapWritable, mappingUnmapWritable } from "../../src/mm/index.ts";

function sealVsMmap(atomic: boolean) {
  return model(`seal-vs-mmap-${atomic}`, (m) => {
    const writable = m.location("i_mmap_writable", 0);
    const sealed = m.location("seals", 0);
    m.thread("mmap", function* (t) {
      if (atomic) return { mapped: (yield* mappingMapWritable(t, writable)) ? 1 : 0 };
      if ((yield* t.read(sealed, "once")) !== 0) return { mapped: 0 };
      yield* t.fetchAdd(writable, 1, "relaxed");
      return { mapped: 1 };
    });
    m.thread("seal", function* (t) {
      const denied = atomic ? yield* mappingDenyWritable(t, writable) : (yield* t.read(writable, "once")) === 0;
      if (denied) yield* t.write(sealed, 1, "once");
      return { sealed: denied ? 1 : 0 };
    });
    m.forall("a sealed file has no writable mapping", (s) => !(s.result("mmap")!.mapped === 1 && s.result("seal")!.sealed === 1));
    m.exists("the mmap wins", (s) => s.result("mmap")!.mapped === 1);
    m.exists("the seal wins", (s) => s.result("seal")!.sealed === 1);
  });
}

test("the atomics exclude; check-then-act does not (SC and LKMM, with the oracles' verdicts and counts)", () => {
  const lkmm = memoryModelNamed("lkmm");
  for (const atomic of [false, true]) {
    const md = sealVsMmap(atomic);
    const sc = explore(md, { stopOnViolation: false });
    const scOracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
    assert.equal(sc.violationCount > 0, !atomic);
    assert.equal(sc.executions, scOracle.executions);
    assert.equal(sc.violationCount, scOracle.violationCount);
    if (atomic) assert.ok(sc.existsCounts.every((n) => n > 0), "either side can win");
    const lk = explore(md, { memoryModel: lkmm, stopOnViolation: false });
    const lkOracle = explore(md, { memoryModel: lkmm, strategy: "candidates", stopOnViolation: false });
    assert.equal(lk.violationCount > 0, !atomic);
    assert.equal(lk.executions, lkOracle.executions);
  }
});

test("unmap gives the count back, so a seal succeeds after the last writable mapping goes; allow undoes a denial", () => {
  const md = model("map-unmap-deny-allow", (m) => {
    const writable = m.location("i_mmap_writable", 0);
    m.thread("t", function* (t) {
      const mapped = yield* mappingMapWritable(t, writable);
      const deniedWhileMapped = yield* mappingDenyWritable(t, writable);
      yield* mappingUnmapWritable(t, writable);
      const denied = yield* mappingDenyWritable(t, writable);
      const mappedWhileDenied = yield* mappingMapWritable(t, writable);
      yield* mappingAllowWritable(t, writable);
      const mappedAgain = yield* mappingMapWritable(t, writable);
      return { ok: mapped && !deniedWhileMapped && denied && !mappedWhileDenied && mappedAgain ? 1 : 0 };
    });
    m.forall("each call as documented, ending with one writable mapping", (s) => s.result("t")!.ok === 1 && s.int(writable) === 1);
  });
  assert.equal(explore(md).violations.length, 0);
});
