// Random small programs for comparing a memory model's fast check with its
// declarative definition: like randomProgram.ts (2–4 threads, 2–3
// locations, seeded), but every access carries a random mode and fences
// are of every kind, so that TSO's locked instructions (RMWs, failed
// cmpxchg, lock acquisitions by awaitRmw), its mb fences and the fences it
// ignores all show up next to store buffering (a write followed by a read
// of another location is the common shape here).

import { model, type Model } from "../../src/index.ts";
import type { Loc } from "../../src/program/value.ts";
import type { AccessMode, FenceKind } from "../../src/program/operation.ts";
import type { ThreadContext } from "../../src/program/threadContext.ts";
import { mulberry32 } from "./randomProgram.ts";

const MODES: readonly AccessMode[] = ["plain", "once", "acquire", "release", "relaxed", "mb"];
const FENCES: readonly FenceKind[] = [
  "mb",
  "rmb",
  "wmb",
  "before-atomic",
  "after-atomic",
  "after-spinlock",
  "after-unlock-lock",
  "barrier",
  "after-srcu-read-unlock",
  "rcu-lock",
  "rcu-unlock",
  "sync-rcu",
  "sync-srcu",
];

type Instr =
  | { op: "read"; loc: number; mode: AccessMode; reg: number }
  | { op: "write"; loc: number; mode: AccessMode; value: number }
  | { op: "fetchAdd" | "xchg"; loc: number; mode: AccessMode; value: number; reg: number }
  | { op: "cmpxchg"; loc: number; mode: AccessMode; expected: number; value: number; reg: number }
  | { op: "await"; loc: number; value: number; reg: number }
  | { op: "lock" | "unlock"; loc: number }
  | { op: "fence"; fence: FenceKind }
  | { op: "if"; reg: number; equals: number; then: Instr[] };

/** Every fence kind appears across seeds; `FENCES` is exported for tests that check they did. */
export const fenceKinds = FENCES;

export function randomFencedProgram(seed: number): { model: Model; text: string } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const locs = 2 + int(2);
  const threads = 2 + int(3);
  const instr = (nested: boolean): Instr => {
    const loc = int(locs);
    const reg = int(2);
    const mode = pick(MODES);
    switch (int(nested ? 10 : 11)) {
      case 0:
      case 1:
        return { op: "read", loc, mode, reg };
      case 2:
      case 3:
        return { op: "write", loc, mode, value: 1 + int(2) };
      case 4:
        return { op: rnd() < 0.5 ? "fetchAdd" : "xchg", loc, mode, value: 1 + int(2), reg };
      case 5:
        return { op: "cmpxchg", loc, mode, expected: int(2), value: 1 + int(2), reg };
      case 6:
        return { op: "await", loc, value: int(3), reg };
      case 7:
        return { op: rnd() < 0.5 ? "lock" : "unlock", loc };
      case 8:
      case 9:
        return { op: "fence", fence: pick(FENCES) };
      default:
        return { op: "if", reg, equals: int(2), then: [instr(true)] };
    }
  };
  const longest = threads > 3 ? 3 : 4;
  const bodies: Instr[][] = Array.from({ length: threads }, () => Array.from({ length: 1 + int(longest) }, () => instr(false)));
  const m = model(`random-fenced-${seed}`, (b) => {
    const cells = Array.from({ length: locs }, (_, i) => b.location(`x${i}`, 0));
    bodies.forEach((body, tid) =>
      b.thread(`T${tid}`, function* (t) {
        const r = [0, 0];
        yield* run(t, body, cells, r);
        return { r0: r[0]!, r1: r[1]! };
      }),
    );
  });
  return { model: m, text: JSON.stringify(bodies) };
}

function* run(t: ThreadContext, body: readonly Instr[], cells: readonly Loc[], r: number[]): Generator<any, void, any> {
  for (const i of body) {
    switch (i.op) {
      case "read":
        r[i.reg] = yield* t.read(cells[i.loc]!, i.mode);
        break;
      case "write":
        yield* t.write(cells[i.loc]!, i.value, i.mode);
        break;
      case "fetchAdd":
        r[i.reg] = yield* t.fetchAdd(cells[i.loc]!, i.value, i.mode);
        break;
      case "xchg":
        r[i.reg] = yield* t.xchg(cells[i.loc]!, i.value, i.mode);
        break;
      case "cmpxchg":
        r[i.reg] = yield* t.cmpxchg(cells[i.loc]!, i.expected, i.value, i.mode);
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
        yield* t.fence(i.fence);
        break;
      case "if":
        if (r[i.reg] === i.equals) yield* run(t, i.then, cells, r);
        break;
    }
  }
}
