// Random small programs built around locks, for the explorer-vs-oracle
// tests: 2–4 threads taking and releasing one or two lock words
// (`awaitRmw(v == 0 -> 1)` and a release write of 0, as lock_page and
// unlock_page are modelled), with reads, writes, awaits and branches on
// one or two data words inside and between the critical sections; at
// times a nested lock, a lock kept to the end, or a lock taken twice (a
// deadlock). The shapes where a lock acquisition waits on a lock another
// thread took over first, and the release overtakes it.
//
// - "lock-only": lock words are written by lock and unlock only;
// - "mixed": lock words also take plain reads and writes, xchg and
//   fetch-add (so that no rule may assume a lock word is only a lock);
// - "identical": as lock-only, with threads often running the same code;
// - "stray-unlock": as lock-only, with now and then a release of a lock
//   the thread does not hold;
// - "lock-reads": as lock-only, with plain reads and awaits of the lock
//   words besides (they write nothing: the words stay lock words).

import { model, type Model } from "../../src/index.ts";
import { threadOf, mulberry32, type Instr } from "./randomProgram.ts";
import type { SymmetricProgram } from "./randomSymmetricProgram.ts";

/** The code of one thread: one or two critical sections (see lockProgram). */
type LockBody = () => Instr[];

export type LockProgramKind = "lock-only" | "mixed" | "identical" | "stray-unlock" | "lock-reads";

/** `size` 1: one or two critical sections a thread, 2 or 3 threads; 2: 3 threads, with up to two accesses in a section. */
export function lockProgram(seed: number, size: 1 | 2, kind: LockProgramKind): { model: Model; text: string } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const { lockCount, dataCount, body } = lockBodies(rnd, size, kind);
  const threads = size === 1 ? 2 + int(2) : 3;
  const bodies: Instr[][] = [];
  for (let t = 0; t < threads; t++) bodies.push(kind === "identical" && t > 0 && rnd() < 0.6 ? bodies[int(t)]! : body());
  const m = model(`lock-${kind}-${seed}`, (b) => {
    const cells = Array.from({ length: lockCount + dataCount }, (_, i) => b.location(i < lockCount ? `lock${i}` : `x${i - lockCount}`, 0));
    bodies.forEach((code, tid) => b.thread(`T${tid}`, threadOf(code, cells)));
  });
  return { model: m, text: JSON.stringify(bodies) };
}

/**
 * Lock-only programs with interchangeable threads, for the symmetry
 * reduction's oracle: 2 or 3 threads running one body, declared identical,
 * and one distinct thread, in a random declaration order.
 */
export function lockSymmetricProgram(seed: number, size: 1 | 2): SymmetricProgram {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const { lockCount, dataCount, body } = lockBodies(rnd, size, "lock-only");
  const copies = size === 1 ? 2 : 2 + int(2);
  const shared = body();
  const other = body();
  const at = int(copies + 1);
  const names = Array.from({ length: copies + 1 }, (_, tid) => (tid === at ? "D0" : `I${tid < at ? tid : tid - 1}`));
  const identical = names.flatMap((name, tid) => (name === "D0" ? [] : [tid]));
  const m = model(`lock-symmetric-${seed}`, (b) => {
    const cells = Array.from({ length: lockCount + dataCount }, (_, i) => b.location(i < lockCount ? `lock${i}` : `x${i - lockCount}`, 0));
    for (const name of names) b.thread(name, threadOf(name === "D0" ? other : shared, cells), name === "D0" ? {} : { identical: "copy" });
    b.forall("I0's r0 is not 1", (s) => s.result("I0")?.r0 !== 1);
  });
  return { model: m, text: JSON.stringify({ order: names, shared, other }), identical };
}

/** The locations of a program built around locks and a maker of thread bodies over them. */
function lockBodies(rnd: () => number, size: 1 | 2, kind: LockProgramKind): { lockCount: number; dataCount: number; body: LockBody } {
  const int = (n: number) => Math.floor(rnd() * n);
  const lockCount = 1 + int(2);
  const dataCount = 1 + int(2);
  const data = () => lockCount + int(dataCount);
  const access = (): Instr => {
    if (kind === "stray-unlock" && rnd() < 0.2) return { op: "unlock", loc: int(lockCount) };
    if (kind === "lock-reads" && rnd() < 0.25) return rnd() < 0.5 ? { op: "read", loc: int(lockCount), reg: int(2) } : { op: "await", loc: int(lockCount), value: int(2), reg: int(2) };
    switch (int(kind === "mixed" ? 8 : 6)) {
      case 0:
      case 1:
        return { op: "read", loc: data(), reg: int(2) };
      case 2:
      case 3:
        return { op: "write", loc: data(), value: 1 + int(2) };
      case 4:
        return { op: "await", loc: data(), value: int(2), reg: int(2) };
      case 5:
        return { op: "if", reg: int(2), equals: int(2), then: [{ op: "write", loc: data(), value: 1 + int(2) }], else: [] };
      case 6:
        return { op: rnd() < 0.5 ? "xchg" : "fetchAdd", loc: int(lockCount), value: 1, reg: int(2) };
      default:
        return rnd() < 0.5 ? { op: "write", loc: int(lockCount), value: int(2) } : { op: "read", loc: int(lockCount), reg: int(2) };
    }
  };
  const body = (): Instr[] => {
    const out: Instr[] = [];
    const sections = 1 + int(2);
    for (let s = 0; s < sections; s++) {
      if (rnd() < 0.3) out.push(access());
      const lock = int(lockCount);
      out.push({ op: "lock", loc: lock });
      const inside = int(size === 1 ? 2 : 3);
      for (let i = 0; i < inside; i++) out.push(access());
      if (lockCount > 1 && rnd() < 0.2) {
        const inner = (lock + 1) % lockCount;
        out.push({ op: "lock", loc: inner }, access(), { op: "unlock", loc: inner });
      }
      if (rnd() < 0.93) out.push({ op: "unlock", loc: lock });
    }
    return out;
  };
  return { lockCount, dataCount, body };
}
