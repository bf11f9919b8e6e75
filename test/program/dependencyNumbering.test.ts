// Dependencies name operations by the runtime's numbering, which counts
// every operation a thread yields — also those a kernel helper builds
// itself (spin_lock's RMW) — so a pointer load after a lock is named right.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, lkmm, type Loc } from "../../src/index.ts";
import { spinLock, spinUnlock } from "../../src/kernel/index.ts";

test("an access through a pointer loaded after spin_lock depends on the load, not on the lock", () => {
  let addr: readonly number[] | undefined;
  const m = model("lock, load, follow", (b) => {
    const lock = b.location("lock");
    const s = b.struct("s", { f: 7 });
    const gp = b.location("gp", s.f);
    b.thread("P0", function* (t) {
      yield* spinLock(t, lock); // operation 0, yielded by the kernel helper itself
      const p = (yield* t.readPointer(gp)) as Loc; // operation 1
      yield* t.read(p, "once"); // operation 2: address-dependent on 1
      yield* spinUnlock(t, lock);
    });
  });
  explore(m, {
    memoryModel: lkmm,
    onExecution: (g) => {
      const through = g.threads[0]!.find((e) => e.kind === "R" && e.loc === m.locations.find((l) => l.name === "s.f")!.id);
      addr = through?.op?.deps?.addr;
    },
  });
  assert.deepEqual(addr, [1]);
});
