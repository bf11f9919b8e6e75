// A field of a struct, or an element of an array, reached from a pointer the
// thread loaded is address-dependent on that load: in the kernel the address
// of `p->b` or `p + 1` is computed from p. The same location named directly
// is not. Publication of a struct's second field, the reader going through
// the loaded pointer or not; each answer is checked against the candidates
// strategy, which enumerates every execution graph as herd7 does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, sameLoc, type Model } from "../../src/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { rcuAssignPointer, readOnce, readOncePtr } from "../../src/kernel/index.ts";
import { isLoc } from "../../src/program/value.ts";

type Path = "field of the pointer" | "element after the pointer" | "by name";

function publication(shape: "struct" | "array", path: Path): Model {
  return model(`publish ${shape}, read ${path}`, (m) => {
    const old = m.location("old", 0);
    const [first, second] =
      shape === "struct" ? Object.values(m.struct("obj", { a: 0, b: 0 })) : m.array("arr", 2, 0);
    const gp = m.location("gp", old);
    m.thread("writer", function* (t) {
      yield* t.write(second!, 1); // initialisation: plain, as `obj->b = 1` before publishing
      yield* rcuAssignPointer(t, gp, first!);
    });
    m.thread("reader", function* (t) {
      const p = yield* readOncePtr(t, gp);
      if (!isLoc(p) || !sameLoc(p, first)) return { published: 0, b: -1 };
      const target = path === "by name" ? second! : path === "field of the pointer" ? t.fieldOf(p, "b") : t.elementOf(p, 1);
      return { published: 1, b: yield* readOnce(t, target) };
    });
    m.exists("published, b not yet initialised", (s) => s.result("reader")?.published === 1 && s.result("reader")?.b === 0);
  });
}

function staleReads(m: Model): number {
  const auto = explore(m, { memoryModel: lkmm, stopOnViolation: false });
  const oracle = explore(m, { memoryModel: lkmm, stopOnViolation: false, strategy: "candidates" });
  assert.equal(auto.existsCounts[0], oracle.existsCounts[0], "strategies agree");
  return auto.existsCounts[0]!;
}

test("a struct field read through the loaded pointer (t.fieldOf) is ordered after the load", () => {
  assert.equal(staleReads(publication("struct", "field of the pointer")), 0);
});

test("an array element reached from the loaded pointer (t.elementOf) is ordered after the load", () => {
  assert.equal(staleReads(publication("array", "element after the pointer")), 0);
});

test("the same field named directly is not: the uninitialised value is seen", () => {
  assert.ok(staleReads(publication("struct", "by name")) > 0);
  assert.ok(staleReads(publication("array", "by name")) > 0);
});

test("a followed pointer is its location by sameLoc and by id, not by ===; readValue's is the model's own location; arithmetic off the model's locations is an error", () => {
  const m = model("identity", (mb) => {
    const s = mb.struct("s", { a: 0, b: 0 });
    const p = mb.location("p", s.a);
    mb.thread("P0", function* (t) {
      const r = yield* t.readPointer(p, "once");
      t.assert(isLoc(r) && sameLoc(r, s.a) && r.id === s.a.id && r !== s.a, "a derived reference");
      t.assert((yield* t.readValue(p, "once")) === s.a, "readValue returns the declared location");
      t.assert(isLoc(r) && sameLoc(t.fieldOf(r, "b"), s.b), "fieldOf names the sibling field");
      t.assert(!sameLoc(r, s.b) && !sameLoc(r, 0), "sameLoc tells locations and integers apart");
      assert.throws(() => t.fieldOf(s.a, "c"), /s\.a->c: no such location/);
      assert.throws(() => t.elementOf(s.a, 1), /no such location/);
    });
  });
  const r = explore(m, { memoryModel: lkmm });
  assert.equal(r.assertionFailures, 0);
  assert.equal(r.executions, 1);
});
