// The machine every seed-004 model runs on: a DAX block device, file F with
// its blocks, one shared mapping M of F, and thread helpers that turn a
// fault's outcome into a thread result the final checks can read.

import type { ModelBuilder } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { DaxMachine, type DaxFile, type DaxFileOptions } from "../../mm/dax/daxMachine.ts";
import type { Vma } from "../../mm/vma.ts";
import { userStore, type DaxFaultArgs, type FaultResult } from "../../mm/dax/daxFault.ts";

export interface DaxWorld {
  readonly dm: DaxMachine;
  readonly F: DaxFile;
  readonly M: Vma;
}

/** `blocks` device blocks; F as given (its blocks are allocated to it), mapped shared by M. */
export function daxWorld(m: ModelBuilder, blocks: number, file: DaxFileOptions): DaxWorld {
  const dm = new DaxMachine(m, { blocks });
  const F = dm.file("F", file);
  const M = dm.vma("M", dm.mm(), F);
  return { dm, F, M };
}

export type DaxFault = (t: ThreadContext, a: DaxFaultArgs) => Access<FaultResult>;

const CODES: Record<FaultResult, number> = { mapped: 1, busy: 2, hole: 3, sigbus: 4, eio: 5 };

/** A thread that takes one fault and returns its outcome as `{ fault: code }`; that it maps in some execution is the variant's witness. */
export function faultThread<A extends DaxFaultArgs>(m: ModelBuilder, name: string, fault: (t: ThreadContext, a: A) => Access<FaultResult>, a: A): void {
  m.thread(name, function* (t) {
    return { fault: CODES[yield* fault(t, a)] };
  });
  m.exists(`${name} maps its page`, (s) => s.result(name)?.fault === CODES.mapped);
}

/** A thread that write-faults and then stores its bit `1 << bit` through the pte: `{ stored: 0 | 1 }`. */
export function writerThread(m: ModelBuilder, name: string, fault: DaxFault, a: DaxFaultArgs, bit: number): void {
  m.thread(name, function* (t) {
    yield* fault(t, { ...a, write: true });
    return { stored: (yield* userStore(t, a.dm, a.vma, a.index, bit)) ? 1 : 0 };
  });
}

type VariantSpec = Omit<Variant, "memoryModel" | "size" | "raceKind"> & Partial<Pick<Variant, "size" | "raceKind">>;

/** Seed 004's races are all SC (nothing in seed 004 needs weak memory); races are broken invariants unless said otherwise. */
export function variant(v: VariantSpec): Variant {
  return { memoryModel: "sc", size: "smallest", ...v, ...expectRace(v.expect === "race", v.raceKind) };
}

export function scenario(id: string, title: string, invariant: string, variants: readonly Variant[]): Scenario {
  return { id: `004-${id}`, seed: "004", title, invariant, variants };
}
