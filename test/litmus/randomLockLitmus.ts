// Random LKMM litmus tests around one lock: 2 or 3 threads that each take
// it, access one or two of three shared words inside (reads, WRITE_ONCE,
// smp_store_release, a write of a value read, a branch on it), release it
// and at times access one more word after.
// - "xchg": the lock is taken with xchg_acquire (or xchg, or xchg_relaxed)
//   and released with smp_store_release (or WRITE_ONCE). It is not waited
//   for: a thread that finds it taken goes on, as the lock-emulation tests
//   do, so that the xchgs race. These are the programs where two sequences
//   of load-buffering revisits most often make the same graph
//   (revisitMemo.ts).
// - "spin": spin_lock, or spin_trylock, then spin_unlock either way: a
//   thread whose trylock failed unlocks a lock another thread holds, and
//   two threads hold it at once for a while (locks.ts, unmatched-locks).

import { mulberry32 } from "../support/randomProgram.ts";

const WORDS = ["x", "y", "z"];

export type LockKind = "xchg" | "spin";

export function randomLockLitmus(seed: number, lock: LockKind): string {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const threads = rnd() < 0.6 ? 2 : 3;
  const bodies: string[] = [];
  const registers: string[] = [];
  for (let p = 0; p < threads; p++) {
    const lines: string[] = [];
    const regs: string[] = [];
    const reg = () => {
      const r = `r${regs.length}`;
      regs.push(r);
      return r;
    };
    const access = () => {
      const w = pick(WORDS);
      const read = regs.filter((r) => r !== "r0");
      const k = rnd();
      if (k < 0.35) lines.push(`${reg()} = READ_ONCE(*${w});`);
      else if (k < 0.55) lines.push(`WRITE_ONCE(*${w}, ${1 + p});`);
      else if (k < 0.7) lines.push(`smp_store_release(${w}, ${1 + p});`);
      else if (k < 0.85 && read.length > 0) lines.push(`WRITE_ONCE(*${w}, ${pick(read)});`);
      else if (read.length > 0) lines.push(`if (${pick(read)}) { WRITE_ONCE(*${w}, ${1 + p}); }`);
      else lines.push(`${reg()} = READ_ONCE(*${w});`);
    };
    if (lock === "xchg") lines.push(`${reg()} = ${pick(["xchg_acquire", "xchg_acquire", "xchg", "xchg_relaxed"])}(lk, 1);`);
    else if (rnd() < 0.7) (reg(), lines.push("spin_lock(lk);"));
    else lines.push(`${reg()} = spin_trylock(lk);`);
    const inside = 1 + Math.floor(rnd() * 2);
    for (let i = 0; i < inside; i++) access();
    if (lock === "spin") lines.push("spin_unlock(lk);");
    else lines.push(rnd() < 0.8 ? "smp_store_release(lk, 0);" : "WRITE_ONCE(*lk, 0);");
    if (rnd() < 0.3) access();
    bodies.push(`P${p}(${lock === "spin" ? "spinlock_t" : "int"} *lk, int *x, int *y, int *z)\n{\n${regs.map((r) => `\tint ${r};\n`).join("")}\n${lines.map((l) => `\t${l}\n`).join("")}}\n`);
    registers.push(...regs.map((r) => `${p}:${r}`));
  }
  const condition = registers
    .filter(() => rnd() < 0.5)
    .map((r) => `${r}=${r.endsWith(":r0") ? (lock === "spin" ? 1 : 0) : Math.floor(rnd() * 3)}`)
    .join(" /\\ ");
  return `C ${lock}-lock-${seed}\n\n{}\n\n${bodies.join("\n")}\nexists (${condition === "" ? "x=0" : condition})\n`;
}
