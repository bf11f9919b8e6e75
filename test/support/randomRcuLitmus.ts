// Random small litmus tests with RCU and SRCU read-side critical sections,
// grace periods, barriers and once accesses: the shapes where LKMM relates
// the end of a critical section back to its start.

import { mulberry32 } from "./randomProgram.ts";

export function randomRcuLitmus(seed: number): string {
  const rnd = mulberry32(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const locations = ["x", "y", "z"];
  const procs = Array.from({ length: 2 + int(2) }, (_, t) => {
    const srcu = rnd() < 0.4;
    const body: string[] = [];
    let regs = 0;
    for (let i = 2 + int(3); i > 0; i--) {
      const l = locations[int(3)]!;
      const c = int(6);
      if (c === 0) body.push(`WRITE_ONCE(*${l}, ${1 + int(2)});`);
      else if (c === 2) body.push(srcu ? "synchronize_srcu(s);" : "synchronize_rcu();");
      else if (c === 3) body.push("smp_mb();");
      else body.push(`r${regs++} = READ_ONCE(*${l});`);
    }
    if (rnd() < 0.6) {
      const from = int(body.length);
      const to = from + int(body.length - from + 1);
      if (srcu) {
        body.splice(to, 0, `srcu_read_unlock(s, r${regs});`);
        body.splice(from, 0, `r${regs++} = srcu_read_lock(s);`);
      } else {
        body.splice(to, 0, "rcu_read_unlock();");
        body.splice(from, 0, "rcu_read_lock();");
      }
    }
    const decls = Array.from({ length: regs }, (_, r) => `\tint r${r};`).join("\n");
    return `P${t}(int *x, int *y, int *z, struct srcu_struct *s)\n{\n${decls}\n${body.map((b) => `\t${b}`).join("\n")}\n}`;
  });
  return `C rcu-${seed}\n\n{}\n\n${procs.join("\n\n")}\n\nexists (x=1)\n`;
}
