// Random small programs for the explorer-vs-oracle property test: 2–4
// threads of reads, writes, RMWs, awaits, fences, asserts and branches on
// read values, over 2–3 locations holding small integers. Seeded, so a
// failing seed can be replayed.

import { model, type Model } from "../../src/index.ts";
import type { Loc } from "../../src/program/value.ts";
import type { ThreadContext } from "../../src/program/threadContext.ts";
import { seededRandom as mulberry32 } from "../../src/explore/seededRandom.ts";

export type Instr =
  | { op: "read"; loc: number; reg: number }
  | { op: "write"; loc: number; value: number; plusReg?: number }
  | { op: "fetchAdd" | "xchg"; loc: number; value: number; reg: number }
  | { op: "cmpxchg"; loc: number; expected: number; value: number; reg: number }
  | { op: "await"; loc: number; value: number; reg: number }
  | { op: "lock"; loc: number }
  | { op: "unlock"; loc: number }
  | { op: "fence" }
  | { op: "assert"; reg: number; not: number }
  | { op: "if"; reg: number; equals: number; then: Instr[]; else: Instr[] };

export { mulberry32 };

/** `size` 1: 1–3 instructions a thread; 2: up to 5 (slower to check, deeper revisit chains). */
export function randomProgram(seed: number, size: 1 | 2 = 1): { model: Model; text: string } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const locs = 2 + int(2);
  const threads = 2 + int(3);
  const regs = 2;
  const instr = instructions(rnd, locs, regs, { plusRegChance: 0.2, topLevelKinds: 11 });
  const longest = size === 1 ? (threads > 3 ? 2 : 3) : threads > 3 ? 3 : 5;
  const bodies: Instr[][] = Array.from({ length: threads }, () => Array.from({ length: 1 + int(longest) }, () => instr(0)));
  const m = model(`random-${seed}`, (b) => {
    const cells = Array.from({ length: locs }, (_, i) => b.location(`x${i}`, 0));
    bodies.forEach((body, tid) => b.thread(`T${tid}`, threadOf(body, cells)));
  });
  return { model: m, text: JSON.stringify(bodies) };
}

/**
 * A generator of random instructions over `locs` locations and `regs`
 * registers. `plusRegChance`: how often a write adds a register to its
 * value; `topLevelKinds` (10–12): kinds drawn from outside a branch, the
 * draws past 9 being branches (inside one: 10 kinds, no nested branch).
 */
export function instructions(rnd: () => number, locs: number, regs: number, o: { readonly plusRegChance: number; readonly topLevelKinds: number }): (depth: number) => Instr {
  const int = (n: number) => Math.floor(rnd() * n);
  const instr = (depth: number): Instr => {
    const loc = int(locs);
    const reg = int(regs);
    switch (int(depth > 0 ? 10 : o.topLevelKinds)) {
      case 0:
      case 1:
        return { op: "read", loc, reg };
      case 2:
      case 3:
        return rnd() < o.plusRegChance ? { op: "write", loc, value: int(2), plusReg: reg } : { op: "write", loc, value: 1 + int(2) };
      case 4:
        return { op: rnd() < 0.5 ? "fetchAdd" : "xchg", loc, value: 1 + int(2), reg };
      case 5:
        return { op: "cmpxchg", loc, expected: int(2), value: 1 + int(2), reg };
      case 6:
        return { op: "await", loc, value: int(3), reg };
      case 7:
        return rnd() < 0.5 ? { op: "lock", loc } : { op: "unlock", loc };
      case 8:
        return rnd() < 0.5 ? { op: "fence" } : { op: "assert", reg, not: 1 + int(2) };
      case 9:
        return { op: "read", loc, reg };
      default:
        return { op: "if", reg, equals: int(2), then: [instr(depth + 1)], else: rnd() < 0.5 ? [instr(depth + 1)] : [] };
    }
  };
  return instr;
}

/** A thread running `body` over `cells` with two registers, which it returns as its result. */
export function threadOf(body: readonly Instr[], cells: readonly Loc[]): (t: ThreadContext) => Generator<any, { r0: number; r1: number }, any> {
  return function* (t) {
    const r = [0, 0];
    yield* run(t, body, cells, r);
    return { r0: r[0]!, r1: r[1]! };
  };
}

export function* run(t: ThreadContext, body: readonly Instr[], cells: readonly Loc[], r: number[]): Generator<any, void, any> {
  for (const i of body) {
    switch (i.op) {
      case "read":
        r[i.reg] = yield* t.read(cells[i.loc]!);
        break;
      case "write":
        yield* t.write(cells[i.loc]!, i.value + (i.plusReg === undefined ? 0 : r[i.plusReg]!));
        break;
      case "fetchAdd":
        r[i.reg] = yield* t.fetchAdd(cells[i.loc]!, i.value);
        break;
      case "xchg":
        r[i.reg] = yield* t.xchg(cells[i.loc]!, i.value);
        break;
      case "cmpxchg":
        r[i.reg] = yield* t.cmpxchg(cells[i.loc]!, i.expected, i.value);
        break;
      case "await":
        r[i.reg] = yield* t.await(cells[i.loc]!, (v) => v === i.value);
        break;
      case "lock":
        yield* t.awaitRmw(cells[i.loc]!, (v) => v === 0, () => 1);
        break;
      case "unlock":
        yield* t.write(cells[i.loc]!, 0, "release");
        break;
      case "fence":
        yield* t.fence("mb");
        break;
      case "assert":
        t.assert(r[i.reg] !== i.not, `r${i.reg} != ${i.not}`);
        break;
      case "if":
        yield* run(t, r[i.reg] === i.equals ? i.then : i.else, cells, r);
        break;
    }
  }
}
