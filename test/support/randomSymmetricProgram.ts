// Random small programs with interchangeable threads, for the symmetry
// reduction's oracle test: 2–3 threads running one random body, declared
// identical, and one or two distinct threads, in a random declaration order
// (identical threads need not be neighbours). The bodies use every
// instruction of randomProgram.ts: reads and writes of shared locations
// (identical threads read each other's writes), RMWs, awaits, locks,
// asserts and branches on values read. Seeded.

import { model, type Model } from "../../src/index.ts";
import { instructions, mulberry32, threadOf, type Instr } from "./randomProgram.ts";

export interface SymmetricProgram {
  readonly model: Model;
  readonly text: string;
  /** Thread indices of the identical threads, in declaration order. */
  readonly identical: readonly number[];
}

/** `size` 1: bodies of 1–3 instructions (1–2 for three copies); 2: up to 5 (3 for three copies), deeper revisit chains. */
export function randomSymmetricProgram(seed: number, size: 1 | 2 = 1): SymmetricProgram {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const locs = 2 + int(2);
  const copies = 2 + int(2);
  const distinct = 1 + (rnd() < 0.25 ? 1 : 0);
  const instr = instructions(rnd, locs, 2, { plusRegChance: 0.3, topLevelKinds: 12 });
  const body = (longest: number): Instr[] => Array.from({ length: 1 + int(longest) }, () => instr(0));
  const longest = (few: boolean) => (size === 1 ? (few ? 2 : 3) : few ? 3 : 5);
  const shared = body(longest(copies > 2));
  const others = Array.from({ length: distinct }, () => body(longest(distinct > 1)));
  // Declaration order: the identical threads and the distinct ones shuffled together.
  const order: ({ kind: "copy"; n: number } | { kind: "other"; n: number })[] = [
    ...Array.from({ length: copies }, (_, n) => ({ kind: "copy" as const, n })),
    ...Array.from({ length: distinct }, (_, n) => ({ kind: "other" as const, n })),
  ];
  for (let i = order.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  // Keep the copies' names in declaration order (I0 declared before I1).
  let copyName = 0;
  const named = order.map((slot) => (slot.kind === "copy" ? { ...slot, name: `I${copyName++}` } : { ...slot, name: `D${slot.n}` }));
  const identical = named.flatMap((slot, tid) => (slot.kind === "copy" ? [tid] : []));
  const checked = { reg: int(2), value: int(3) };
  const m = model(`random-symmetric-${seed}`, (b) => {
    const cells = Array.from({ length: locs }, (_, i) => b.location(`x${i}`, 0));
    for (const slot of named) b.thread(slot.name, threadOf(slot.kind === "copy" ? shared : others[slot.n]!, cells), slot.kind === "copy" ? { identical: "copy" } : {});
    // A check that tells the identical threads apart: it fails only where the first copy ends with one register value.
    b.forall(`I0's r${checked.reg} is not ${checked.value}`, (s) => s.result("I0")?.[`r${checked.reg}`] !== checked.value);
  });
  return { model: m, text: JSON.stringify({ order: named.map((s) => s.name), shared, others, checked }), identical };
}
