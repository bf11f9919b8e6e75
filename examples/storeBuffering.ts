// Store buffering (seed 000's B2 and seed 002's B3 have this shape): each
// thread sets its own flag, then reads the other's. Under SC at least one
// sees the other's flag; the check says so.

import { model } from "../src/index.ts";

export default model("SB", (m) => {
  m.expect("verified");
  const x = m.location("x");
  const y = m.location("y");
  m.thread("P0", function* (t) {
    yield* t.write(x, 1, "once");
    return { r0: yield* t.read(y, "once") };
  });
  m.thread("P1", function* (t) {
    yield* t.write(y, 1, "once");
    return { r1: yield* t.read(x, "once") };
  });
  m.forall("not both reads see 0", (s) => !(s.result("P0")?.r0 === 0 && s.result("P1")?.r1 === 0));
});
