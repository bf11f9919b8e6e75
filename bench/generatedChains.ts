// Litmus tests herd7 cannot finish: long chains of 9 to 16 processes, each
// passing a value to the next, closed by the last process looking back at
// what the first wrote. herd7 enumerates every candidate execution of the
// whole test before checking any; pagerace's optimal explorer builds only
// consistent executions, one per combination of values the reads can see.
//
// Each test comes with the verdict LKMM gives it and why (the reasoning is
// in each family's comment, from linux-kernel.cat's definitions); the tests
// in test/litmus/generatedChains.test.ts check the same generators at small
// sizes against the candidates strategy, which evaluates the model on every
// candidate as herd7 does.

export interface GeneratedChain {
  /** The family, for grouping: `ISA2-rel-acq`, `RCU-chain`, ... */
  readonly family: string;
  readonly name: string;
  readonly processes: number;
  readonly text: string;
  /** LKMM's answer to the `exists` clause. */
  readonly expected: "Never" | "Sometimes";
}

/**
 * How a middle process passes on what it read. `always`: it writes
 * whatever it read, so every read sees either value and the test has about
 * 2^n executions. `conditional`: it writes only when it saw the flag (as a
 * real hand-off does), so a read of the old value ends the chain there and
 * the test has about 2n executions. The branch adds a control dependency,
 * which orders (ppo) but does not propagate: it changes no verdict of the
 * ISA2 and pointer chains, and the RCU chain branches only where a grace
 * period orders the read before the write already (see rcuChain).
 */
export type Handoff = "always" | "conditional";

/** `line`, run only when `cond` holds if the hand-off is conditional. */
function guarded(handoff: Handoff, cond: string, line: string): string {
  return handoff === "conditional" ? `if (${cond}) ${line}` : line;
}

interface Process {
  readonly params: readonly string[];
  readonly regs: readonly string[];
  readonly body: readonly string[];
}

function litmus(name: string, init: readonly string[], procs: readonly Process[], exists: string): string {
  const parts = procs.map((p, i) => {
    const regs = p.regs.map((r) => `\t${r};\n`).join("");
    const sep = regs === "" ? "" : "\n";
    return `P${i}(${p.params.join(", ")})\n{\n${regs}${sep}${p.body.map((l) => `\t${l}\n`).join("")}}\n`;
  });
  return `C ${name}\n\n{\n${init.map((l) => `\t${l};\n`).join("")}}\n\n${parts.join("\n")}\nexists (${exists})\n`;
}

const ints = (n: number): string[] => Array.from({ length: n }, (_, i) => `int x${i} = 0`);

/**
 * ISA2 stretched over n processes: P0 writes x0 and releases x1; each middle
 * process acquires x[i] and releases x[i+1]; the last acquires x[n-1] and
 * reads x0. With `gap`, the middle process at n/2 passes on with
 * WRITE_ONCE instead of smp_store_release.
 *
 * Never, without a gap: [W x[i]] ; rfe ; po-rel is A-cumul(po-rel), a
 * cumul-fence, so W x0 ->cumul-fence+ W x[n-1] ->rfe R x[n-1]. If the
 * last read of x0 sees 0 it is fr-before W x0, and prop links it to the
 * acquire load of x[n-1] in the same thread: prop & int is in hb, and the
 * acquire is before the read of x0 in ppo (acq-po): an hb cycle, whatever n.
 * Sometimes, with the gap: rfe ; po ; [W-once] is no cumul-fence, prop from
 * the last read stops at the gap's thread, and no strong fence gives pb.
 */
function isa2(n: number, gap: boolean, handoff: Handoff): GeneratedChain {
  const procs: Process[] = [];
  const params = (i: number): string[] => [...new Set([`int *x${i}`, `int *x${(i + 1) % n}`, ...(i === n - 1 ? ["int *x0"] : [])])];
  procs.push({ params: params(0), regs: [], body: ["WRITE_ONCE(*x0, 1);", "smp_store_release(x1, 1);"] });
  for (let i = 1; i < n - 1; i++) {
    const pass = gap && i === Math.floor(n / 2) ? `WRITE_ONCE(*x${i + 1}, 1);` : `smp_store_release(x${i + 1}, 1);`;
    procs.push({ params: params(i), regs: ["int r0"], body: [`r0 = smp_load_acquire(x${i});`, guarded(handoff, "r0", pass)] });
  }
  procs.push({ params: [`int *x${n - 1}`, "int *x0"], regs: ["int r0", "int r1"], body: [`r0 = smp_load_acquire(x${n - 1});`, "r1 = READ_ONCE(*x0);"] });
  const exists = [...Array.from({ length: n - 1 }, (_, i) => `${i + 1}:r0=1`), `${n - 1}:r1=0`].join(" /\\ ");
  const family = `ISA2-rel-acq${gap ? "-gap" : ""}${suffix(handoff)}`;
  return { family, name: `${family}-${n}`, processes: n, text: litmus(`${family}-${n}`, ints(n), procs, exists), expected: gap ? "Sometimes" : "Never" };
}

/**
 * A pointer handed down n processes with rcu_dereference and
 * rcu_assign_pointer: P0 initialises x0 and publishes &x0 in p1; each
 * middle process dereferences p[i] and assigns what it got to p[i+1]; the
 * last dereferences p[n-1] and reads through it. With `gap`, the middle
 * process at n/2 stores with WRITE_ONCE instead of rcu_assign_pointer.
 *
 * Never, without a gap: as ISA2 above, each rcu_assign_pointer is a
 * release after the load it reads from (rfe ; po-rel, a cumul-fence), and
 * the last thread's read through the pointer is address-dependent on its
 * rcu_dereference (addr is in ppo). Sometimes, with the gap: the data
 * dependency of the WRITE_ONCE on the load is ordering (hb) but not
 * propagation, the same break as the ISA2 gap.
 */
function rcuPointerChain(n: number, gap: boolean, handoff: Handoff): GeneratedChain {
  const ptrs = Array.from({ length: n - 1 }, (_, i) => `int *p${i + 1}=y`);
  const procs: Process[] = [];
  procs.push({ params: ["int *x0", "int **p1"], regs: [], body: ["WRITE_ONCE(*x0, 1);", "rcu_assign_pointer(*p1, x0);"] });
  for (let i = 1; i < n - 1; i++) {
    const store = gap && i === Math.floor(n / 2) ? `WRITE_ONCE(*p${i + 1}, r0);` : `rcu_assign_pointer(*p${i + 1}, r0);`;
    const params = [`int **p${i}`, `int **p${i + 1}`, ...(handoff === "conditional" ? ["int *x0"] : [])];
    procs.push({ params, regs: ["int *r0"], body: [`r0 = rcu_dereference(*p${i});`, guarded(handoff, "r0 == x0", store)] });
  }
  procs.push({ params: [`int **p${n - 1}`], regs: ["int *r0", "int r1"], body: [`r0 = rcu_dereference(*p${n - 1});`, "r1 = READ_ONCE(*r0);"] });
  const family = `RCU-deref-chain${gap ? "-gap" : ""}${suffix(handoff)}`;
  return {
    family,
    name: `${family}-${n}`,
    processes: n,
    text: litmus(`${family}-${n}`, ["int x0 = 0", "int y = 0", ...ptrs], procs, `${n - 1}:r0=x0 /\\ ${n - 1}:r1=0`),
    expected: gap ? "Sometimes" : "Never",
  };
}

/**
 * RCU+sync+read stretched over n processes: a chain of `gps` processes that
 * pass a flag on across synchronize_rcu() and n - gps that pass it on inside
 * an RCU read-side critical section, P0 writing x0 first and the last
 * reading x0 last, alternating grace periods and critical sections.
 *
 * LKMM's RCU axiom (rcu-order, the "fundamental law" of explanation.txt):
 * a cycle of rf/fr links through grace periods and critical sections is
 * forbidden when it holds at least as many grace periods as critical
 * sections. So Never when gps >= n - gps, Sometimes when gps < n - gps
 * (nothing else orders the chain: its accesses are all READ_ONCE and
 * WRITE_ONCE, and there is no dependency from a read to the write after it).
 * A conditional hand-off branches only in the grace-period processes: a
 * critical section whose write depended on its read would be ordered by
 * that dependency alone (hb), and the cycle would no longer need its
 * critical section to be counted: with ctrl in every process the chain is
 * forbidden whatever the counts, as the candidates strategy confirms.
 */
function rcuChain(n: number, gps: number, handoff: Handoff): GeneratedChain {
  // Critical sections first, grace periods after: the count decides, not the order (explanation.txt's RCU
  // rule), and a grace-period process hands on only what it saw, so the critical sections' free reads,
  // which multiply the executions, come where the fewest values reach them.
  const isGp = (i: number): boolean => i >= n - gps;
  const procs: Process[] = [];
  const link = (i: number, first: string, second: string): string[] =>
    isGp(i) ? [first, "synchronize_rcu();", second] : ["rcu_read_lock();", first, second, "rcu_read_unlock();"];
  procs.push({ params: ["int *x0", "int *x1"], regs: [], body: link(0, "WRITE_ONCE(*x0, 1);", "WRITE_ONCE(*x1, 1);") });
  for (let i = 1; i < n - 1; i++)
    procs.push({ params: [`int *x${i}`, `int *x${i + 1}`], regs: ["int r0"], body: link(i, `r0 = READ_ONCE(*x${i});`, isGp(i) ? guarded(handoff, "r0", `WRITE_ONCE(*x${i + 1}, 1);`) : `WRITE_ONCE(*x${i + 1}, 1);`) });
  procs.push({ params: [`int *x${n - 1}`, "int *x0"], regs: ["int r0", "int r1"], body: link(n - 1, `r0 = READ_ONCE(*x${n - 1});`, "r1 = READ_ONCE(*x0);") });
  const exists = [...Array.from({ length: n - 1 }, (_, i) => `${i + 1}:r0=1`), `${n - 1}:r1=0`].join(" /\\ ");
  const family = `RCU-chain${suffix(handoff)}`;
  const name = `${family}-${gps}gp-${n - gps}rscs`;
  return { family, name, processes: n, text: litmus(name, ints(n), procs, exists), expected: gps >= n - gps ? "Never" : "Sometimes" };
}

/** Every family at each size: the forbidden shape and its nearest allowed one. */
export function generatedChains(sizes: readonly number[], handoff: Handoff = "conditional"): GeneratedChain[] {
  return sizes.flatMap((n) => [
    isa2(n, false, handoff),
    isa2(n, true, handoff),
    rcuPointerChain(n, false, handoff),
    rcuPointerChain(n, true, handoff),
    rcuChain(n, Math.ceil(n / 2), handoff),
    rcuChain(n, Math.ceil(n / 2) - 1, handoff),
  ]);
}

const suffix = (handoff: Handoff): string => (handoff === "conditional" ? "+ctrl" : "");

/** The sizes herd7 does not finish at 60 s. */
export const HERD_TIMEOUT_SIZES: readonly number[] = [9, 10, 11, 12, 13, 14, 15, 16];
