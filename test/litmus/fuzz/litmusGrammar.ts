// Random litmus tests from the grammar pagerace reads (README, "Litmus"):
// a header with comments and key=value lines, an initial state in its
// several forms, 1–4 processes of declarations, assignments, kernel
// primitives, `if`/`else` and blocks over C expressions of every
// precedence level, casts and unary operators, then `locations`, `filter`
// and a condition with every connective. Most are well-formed; some use a
// register or location they never declare, which pagerace must reject
// with a position. The fuzzer mutates these as it mutates the corpus.

import type { RandomChoice } from "./randomChoice.ts";

const LOCATIONS = ["x", "y", "z", "a", "s"];
const BINARY = ["+", "-", "*", "/", "%", "<<", ">>", "<", "<=", ">", ">=", "==", "!=", "&", "^", "|", "&&", "||"];
const UNARY = ["-", "!", "~", "+"];
const FENCES = ["smp_mb();", "smp_rmb();", "smp_wmb();", "smp_mb__before_atomic();", "smp_mb__after_atomic();", "rcu_read_lock();", "rcu_read_unlock();", "synchronize_rcu();"];

export function grammarLitmus(r: RandomChoice): string {
  const locations = LOCATIONS.slice(0, 1 + r.int(LOCATIONS.length));
  const processCount = 1 + r.int(4);
  const registers: string[][] = [];

  const expr = (regs: string[], depth: number): string => {
    const leaf = (): string => {
      switch (r.int(6)) {
        case 0:
          return String(r.pick([0, 1, 2, -1, 42, 0x10, 255]));
        case 1:
          return regs.length > 0 ? r.pick(regs) : "0";
        case 2:
          return `READ_ONCE(*${r.pick(locations)})`;
        case 3:
          return `smp_load_acquire(${r.pick(locations)})`;
        case 4:
          return r.pick([`xchg(${r.pick(locations)}, ${r.int(3)})`, `cmpxchg(${r.pick(locations)}, 0, 1)`, `atomic_add_return(1, ${r.pick(locations)})`]);
        default:
          return r.chance(0.1) ? "undeclared" : `&${r.pick(locations)}`;
      }
    };
    if (depth <= 0 || r.chance(0.35)) return leaf();
    switch (r.int(4)) {
      case 0:
        return `${expr(regs, depth - 1)} ${r.pick(BINARY)} ${expr(regs, depth - 1)}`;
      case 1:
        return `(${expr(regs, depth - 1)})`;
      case 2:
        return `${r.pick(UNARY)}${r.chance(0.5) ? "(" + expr(regs, depth - 1) + ")" : leaf()}`;
      default:
        return `(${r.pick(["int", "long", "unsigned long", "intptr_t"])})${leaf()}`;
    }
  };

  const statement = (regs: string[], depth: number): string => {
    const loc = r.pick(locations);
    switch (depth > 0 ? r.int(9) : r.int(6)) {
      case 0: {
        const name = `r${regs.length}`;
        regs.push(name);
        return `int ${name}${r.chance(0.8) ? ` = ${expr(regs.slice(0, -1), 2)}` : ""};`;
      }
      case 1:
        return `WRITE_ONCE(*${loc}, ${expr(regs, 2)});`;
      case 2:
        return `smp_store_release(${loc}, ${expr(regs, 1)});`;
      case 3:
        return r.pick(FENCES);
      case 4:
        return regs.length > 0 ? `${r.pick(regs)} = ${expr(regs, 3)};` : `*${loc} = ${r.int(3)};`;
      case 5:
        return r.pick([`atomic_inc(${loc});`, `spin_lock(${loc});`, `spin_unlock(${loc});`, `(void)xchg_relaxed(${loc}, 1);`]);
      case 6:
        return `if (${expr(regs, 2)}) ${statement(regs, depth - 1)}${r.chance(0.4) ? ` else ${statement(regs, depth - 1)}` : ""}`;
      default: {
        const n = 1 + r.int(3);
        return `{ ${Array.from({ length: n }, () => statement(regs, depth - 1)).join(" ")} }`;
      }
    }
  };

  const processes: string[] = [];
  for (let p = 0; p < processCount; p++) {
    const regs: string[] = [];
    const body = Array.from({ length: 1 + r.int(5) }, () => `\t${statement(regs, 2)}`);
    registers.push(regs);
    const params = locations.filter(() => r.chance(0.8)).map((l) => `${r.pick(["int", "volatile int", "atomic_t", "spinlock_t"])} *${l}`);
    processes.push(`P${p}(${params.length > 0 ? params.join(", ") : "void"})\n{\n${body.join("\n")}\n}`);
  }

  const init = locations
    .filter(() => r.chance(0.6))
    .map((l) => r.pick([`int ${l} = ${r.int(3)};`, `${l}=${r.int(2)};`, `int *${l} = &${locations[0]};`, `atomic_t ${l} = ATOMIC_INIT(${r.int(2)});`, `${l};`]));
  if (r.chance(0.2) && registers[0]!.length > 0) init.push(`0:${registers[0]![0]}=${r.int(2)};`);

  const atom = (): string => {
    const p = r.int(processCount);
    const reg = registers[p]!.length > 0 && r.chance(0.7) ? `${p}:${r.pick(registers[p]!)}` : r.chance(0.5) ? `[${r.pick(locations)}]` : r.pick(locations);
    return r.chance(0.15) && registers[0]!.length > 0 ? `${reg}=0:${registers[0]![0]}` : `${reg}${r.pick(["=", "=", "==", "!="])}${r.int(3)}`;
  };
  const prop = (depth: number): string => {
    if (depth <= 0 || r.chance(0.3)) return r.chance(0.05) ? r.pick(["true", "false"]) : atom();
    switch (r.int(4)) {
      case 0:
        return `${prop(depth - 1)} ${r.pick(["/\\", "\\/", "=>"])} ${prop(depth - 1)}`;
      case 1:
        return `(${prop(depth - 1)})`;
      case 2:
        return `${r.pick(["~", "not "])}${prop(depth - 1)}`;
      default:
        return `${prop(depth - 1)} /\\ ${prop(depth - 1)}`;
    }
  };
  const final: string[] = [];
  if (r.chance(0.15)) final.push(`locations [${locations.slice(0, 2).join("; ")};]`);
  if (r.chance(0.1)) final.push(`filter (${prop(1)})`);
  if (!r.chance(0.05)) final.push(`${r.pick(["exists", "exists", "~exists", "forall"])} (${prop(3)})`);

  const header = [`C grammar-${r.int(1000)}`];
  if (r.chance(0.3)) header.push(r.pick(['"a doc string"', "(* a comment (* nested *) *)", "Result: Never", "Hash=0123abcd"]));
  return `${header.join("\n")}\n\n{\n${init.map((l) => `\t${l}`).join("\n")}\n}\n\n${processes.join("\n\n")}\n\n${final.join("\n")}\n`;
}
