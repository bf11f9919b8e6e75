// Random small LKMM C litmus tests for the differential test of the
// exploration strategies: 2–4 processes of plain and marked accesses,
// acquire/release, rmb/wmb/mb, xchg and cmpxchg in every ordering (the
// cmpxchgs often fail), spin_lock/unlock, `if`s whose branches hold accesses
// and are followed by more accesses (control dependencies that must end),
// and data and address dependencies. Seeded: a failing seed is replayed by
// generating it again.

import { mulberry32 } from "../support/randomProgram.ts";

const LOCATIONS = ["x", "y", "z"] as const;
const ORDERINGS = ["", "_relaxed", "_acquire", "_release"] as const;

type AccessKind =
  | "once-read" | "plain-read" | "acquire-read" | "once-write" | "plain-write" | "dependent-write" | "release-write"
  | "xchg" | "cmpxchg" | "cmpxchg-acquire" | "trylock" | "fence";

/** Repeats weigh a kind. */
const ANY_KINDS: readonly AccessKind[] = [
  "once-read", "once-read", "plain-read", "acquire-read", "once-write", "once-write", "plain-write", "dependent-write",
  "release-write", "xchg", "cmpxchg", "cmpxchg", "fence",
];
const ORDERED_READS: readonly AccessKind[] = ["acquire-read", "plain-read", "plain-read", "cmpxchg-acquire", "cmpxchg-acquire", "trylock"];
const ORDERED_KINDS: readonly AccessKind[] = [
  "acquire-read", "acquire-read", "plain-read", "cmpxchg-acquire", "cmpxchg-acquire", "cmpxchg", "trylock",
  "release-write", "release-write", "dependent-write", "dependent-write", "plain-write", "fence",
];

export function randomLkmmLitmus(seed: number): string {
  const rnd = mulberry32(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const processCount = 2 + int(3);
  // Accesses per process, so candidate enumeration stays fast.
  const perProcess = processCount === 4 ? 2 : 3;
  let accessesLeft = 0;
  const usesLock = rnd() < 0.2;
  const registers: string[][] = [];

  const process = (p: number): string[] => {
    const regs: string[] = [];
    registers.push(regs);
    const fresh = () => {
      const r = `r${regs.length}`;
      regs.push(r);
      return r;
    };
    // A register with a value, or a constant: written values and dependencies come from here.
    const source = (): string => (regs.length > 0 && rnd() < 0.5 ? pick(regs) : String(1 + int(2)));
    /** The address of a location, with a fake address dependency on a register now and then. */
    const address = (): string => {
      const l = pick(LOCATIONS);
      return regs.length > 0 && rnd() < 0.2 ? `(${l} + (${pick(regs)} - ${pick(regs)}))` : l;
    };
    // Most processes order most of their accesses (acquire, release,
    // dependencies, full barriers): programs the load-buffering pre-check
    // lets the optimal explorer take, where a pair it wrongly takes for
    // ordered (a plain end, a failed RMW) shows as a missed execution.
    const ordered = rnd() < 0.7;
    const access = (): string => {
      accessesLeft--;
      // Operands first: the register assigned is not among them.
      const a = address();
      const v = source();
      const r = () => fresh();
      // An ordered process reads first and writes after: the shape of a load-buffering cycle.
      const kind = !ordered ? pick(ANY_KINDS) : regs.length === 0 ? pick(ORDERED_READS) : pick(ORDERED_KINDS);
      switch (kind) {
        case "once-read":
          return `${r()} = READ_ONCE(*${a});`;
        case "plain-read":
          return `${r()} = *${a};`;
        case "acquire-read":
          return `${r()} = smp_load_acquire(${a});`;
        case "once-write":
          return `WRITE_ONCE(*${a}, ${v});`;
        case "plain-write":
          return `*${a} = ${v};`;
        case "dependent-write": {
          // The value read earlier, written on: a data dependency (a constant when nothing was read yet).
          const d = regs.length > 0 ? pick(regs) : v;
          return rnd() < 0.5 ? `WRITE_ONCE(*${a}, ${d});` : `*${a} = ${d};`;
        }
        case "release-write":
          return `smp_store_release(${a}, ${v});`;
        case "xchg":
          return `${r()} = xchg${pick(ORDERINGS)}(${a}, ${v});`;
        case "cmpxchg":
          // Expecting 0, 1 or 2: it fails whenever the location holds something else.
          return `${r()} = cmpxchg${pick(ORDERINGS)}(${a}, ${int(3)}, ${v});`;
        case "cmpxchg-acquire":
          return `${r()} = cmpxchg_acquire(${a}, ${int(3)}, ${v});`;
        case "trylock":
          return `${r()} = spin_trylock(s);`;
        case "fence":
          accessesLeft++;
          return ordered ? "smp_mb();" : pick(["smp_mb();", "smp_rmb();", "smp_wmb();"]);
      }
    };
    const statements = (depth: number, count: number): string[] => {
      const out: string[] = [];
      for (let i = 0; i < count && accessesLeft > 0; i++) {
        if (depth < 2 && regs.length > 0 && rnd() < 0.25) {
          const r = pick(regs);
          const cond = rnd() < 0.5 ? r : `${r} == ${int(3)}`;
          const then = statements(depth + 1, 1 + int(2));
          const otherwise = rnd() < 0.3 ? statements(depth + 1, 1) : [];
          out.push(`if (${cond}) {`, ...then.map((s) => `\t${s}`), otherwise.length > 0 ? "} else {" : "}");
          if (otherwise.length > 0) out.push(...otherwise.map((s) => `\t${s}`), "}");
        } else {
          out.push(access());
        }
      }
      return out;
    };
    accessesLeft = perProcess;
    const body = statements(0, 2 + int(3));
    if (usesLock && rnd() < 0.6 && body.length > 0) {
      // A critical section around a contiguous run of top-level statements.
      const from = int(body.length);
      const to = from + 1 + int(body.length - from);
      if (body.slice(from, to).every((s) => !s.startsWith("if") && !s.startsWith("}") && !s.startsWith("\t"))) {
        body.splice(to, 0, "spin_unlock(s);");
        body.splice(from, 0, "spin_lock(s);");
      }
    }
    const decls = regs.map((r) => `\tint ${r};`);
    return [`P${p}(int *x, int *y, int *z, spinlock_t *s)`, "{", ...decls, ...body.map((s) => `\t${s}`), "}"];
  };

  const processes = Array.from({ length: processCount }, (_, p) => process(p).join("\n"));
  // A condition over one or two registers, or a register and a final value.
  const withRegs = registers.flatMap((regs, p) => regs.map((r) => `${p}:${r}`));
  const terms: string[] = [];
  for (let k = 1 + int(2); k > 0; k--) {
    terms.push(withRegs.length > 0 && rnd() < 0.75 ? `${pick(withRegs)}=${int(3)}` : `${pick(LOCATIONS)}=${int(3)}`);
  }
  return `C random-${seed}\n\n{}\n\n${processes.join("\n\n")}\n\nexists (${terms.join(" /\\ ")})\n`;
}

/**
 * The same test with an empty `if (r) { }` after each top-level read into a
 * register: in herd's C semantics a control dependency covers only the
 * branches of its `if`, so an empty one orders nothing and every figure of
 * the answer must stay the same. (A control dependency left running past
 * its `if` would order every later write after the read.)
 */
export function withEmptyBranches(text: string): string {
  return text.replace(/^\t(r\d+) = (.*);$/gm, (line, r: string) => `${line}\n\tif (${r}) { }`);
}
