// Random LKMM litmus tests that nest two spinlocks: two or three processes
// of four steps each (or `steps`), every step a spin_lock, spin_unlock, spin_trylock or
// spin_is_locked of one of the locks s and t, or a WRITE_ONCE or
// READ_ONCE of x. Nothing keeps a step well placed, so locks are taken
// inside critical sections of the same lock (lock-nest),
// spin_is_locked() is asked of a lock its thread holds (nested-is-locked),
// critical sections are left open (unmatched-locks), and threads unlock a
// lock they do not hold, so that another thread's lock operation may find
// a lock it holds itself released.

import { mulberry32 } from "../support/randomProgram.ts";

export function randomLockNesting(seed: number, steps = 4): string {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const processes = 2 + Math.floor(rnd() * 2);
  const lines = [`C lock-nesting-${seed}`, "", "{}", ""];
  for (let p = 0; p < processes; p++) {
    const body: string[] = [];
    let registers = 0;
    const r = () => `r${registers++}`;
    for (let k = 0; k < steps; k++) {
      const lock = pick(["s", "t"]);
      body.push(
        pick([
          `spin_lock(${lock});`,
          `spin_unlock(${lock});`,
          `${r()} = spin_trylock(${lock});`,
          `${r()} = spin_is_locked(${lock});`,
          `WRITE_ONCE(*x, ${p + 1});`,
          `${r()} = READ_ONCE(*x);`,
        ]),
      );
    }
    const decls = Array.from({ length: registers }, (_, i) => `\tint r${i};`);
    lines.push(`P${p}(int *x, spinlock_t *s, spinlock_t *t)`, "{", ...decls, ...body.map((b) => `\t${b}`), "}", "");
  }
  lines.push("exists (x=0)");
  return lines.join("\n");
}
