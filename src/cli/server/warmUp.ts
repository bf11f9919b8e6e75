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
 * fast code), whose check holds, and a lost update, whose check is
 * violated, so that a report is drawn too. Checked under SC and
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

export const lostUpdate = model("warm-up lost update", (m) => {
  const n = m.location("n");
  for (const name of ["a", "b"])
    m.thread(name, function* (t) {
      const seen = yield* t.read(n, "once");
      yield* t.write(n, seen + 1, "once");
    });
  m.forall("both increments counted", (s) => s.int(n) === 2);
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
