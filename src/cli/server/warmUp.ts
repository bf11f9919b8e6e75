// What a server runs as it starts, before any client's command: small
// checks under SC and TSO and an LKMM litmus test, their output dropped.
// V8 compiles a function's fast code only once it has run for a while; a
// server's first checks would otherwise pay for that as a process of its
// own does (its first check of a small model costs several times its
// tenth). The commands go the way a client's go, model loading included.

import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Fetch-adders (2,520 executions: enough for V8 to compile the explorer's
 * fast code) and a store-buffering pair, with a check that holds and one
 * that is violated, so that reports are drawn too. Checked under SC and
 * TSO; LKMM's code warms with the litmus test (a check's LKMM run after
 * others would move to the worker: mainThreadFirst.ts).
 */
const MODEL = `import { model } from "pagerace";

export const adders = model("warm-up adders", (m) => {
  const n = m.location("n");
  for (let i = 0; i < 4; i++)
    m.thread(\`adder\${i}\`, function* (t) {
      yield* t.fetchAdd(n, 1, "relaxed");
      yield* t.fetchAdd(n, 1, "relaxed");
    });
  m.forall("every addition counted", (s) => s.int(n) === 8);
});

export const storeBuffering = model("warm-up store buffering", (m) => {
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
  m.forall("not both zero", (s) => !(s.result("P0")?.r0 === 0 && s.result("P1")?.r1 === 0));
});
`;

const LITMUS = `C warm-up

{}

P0(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*x, 1);
	smp_mb();
	r0 = READ_ONCE(*y);
}

P1(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*y, 1);
	smp_mb();
	r0 = READ_ONCE(*x);
}

exists (0:r0=0 /\\ 1:r0=0)
`;

/** How many times the commands run: V8 has compiled the hot paths by the third. */
const ROUNDS = 3;

/**
 * Writes the warm-up model and test in `directory`, then runs the commands
 * (the arguments after \`pagerace\`) through `run`, which runs each as a
 * client's would be run, its output dropped, and lets clients in between two.
 */
export async function warmUp(directory: string, run: (args: readonly string[]) => Promise<void>): Promise<void> {
  const model = join(directory, "warmUp.ts");
  const litmus = join(directory, "warmUp.litmus");
  writeFileSync(model, MODEL);
  writeFileSync(litmus, LITMUS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const memoryModel of ["sc", "tso"]) await run(["check", "--model", memoryModel, model]);
    await run(["litmus", litmus]);
  }
}
