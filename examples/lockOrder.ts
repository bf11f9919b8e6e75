// Deadlocks: a page lock taken twice by one thread (seed 000's fuse write
// path locks a page it already holds), and two threads taking two page
// locks in opposite orders (ABBA). Both are expected to be reported with
// their waits-for cycle; the ordered variant verifies.

import { model } from "../src/index.ts";
import type { ThreadContext } from "../src/program/threadContext.ts";
import type { Loc } from "../src/program/value.ts";

function* lockPage(t: ThreadContext, lock: Loc) {
  yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire", "lock_page");
}

function* unlockPage(t: ThreadContext, lock: Loc) {
  yield* t.write(lock, 0, "release", undefined, "unlock_page");
}

export const selfDeadlock = model("lock_page twice", (m) => {
  m.expect("violation");
  const page = m.location("page1.locked");
  m.thread("writer", function* (t) {
    t.step("fuse_fill_write_pages: lock target page 1");
    yield* lockPage(t, page);
    t.step("fault in the source: filemap_fault on page 1");
    yield* lockPage(t, page);
    yield* unlockPage(t, page);
    yield* unlockPage(t, page);
  });
});

function lockOrder(name: string, opposite: boolean) {
  return model(name, (m) => {
    m.expect(opposite ? "violation" : "verified");
    const a = m.location("A.locked");
    const b = m.location("B.locked");
    m.thread("T1", function* (t) {
      t.step("lock A then B");
      yield* lockPage(t, a);
      yield* lockPage(t, b);
      yield* unlockPage(t, b);
      yield* unlockPage(t, a);
    });
    m.thread("T2", function* (t) {
      const [first, second] = opposite ? [b, a] : [a, b];
      t.step(opposite ? "lock B then A" : "lock A then B");
      yield* lockPage(t, first);
      yield* lockPage(t, second);
      yield* unlockPage(t, second);
      yield* unlockPage(t, first);
    });
  });
}

export const abba = lockOrder("ABBA", true);
export const ordered = lockOrder("same lock order", false);
