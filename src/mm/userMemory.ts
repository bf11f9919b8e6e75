// User memory that is an mmap of a file: a page of a user buffer is present
// when its pte is, and touching it otherwise takes a page fault through the
// VMA (which may sleep on the page lock and mmap_lock). This is how a
// write(2) whose source buffer maps the file being written faults on itself.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { UserPage } from "../kernel/userCopy.ts";
import type { Machine } from "./machine.ts";
import { doReadFault, handleUserFault } from "./filemapFault.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

export type FaultHandler = (t: ThreadContext, mc: Machine, v: Vma, index: number) => Access<boolean>;

/** Page `index` of the mmap `v`, faulted in with `handler` (default: the 2.6.23+ locked-page fault). */
export function mappedUserPage(mc: Machine, v: Vma, index: number, handler: FaultHandler = doReadFault): UserPage {
  return {
    name: `${v.name}[${index}]`,
    *present(t: ThreadContext) {
      return (yield* t.read(v.pte[index]!, "once")) !== PTE_NONE;
    },
    fault: (t: ThreadContext) => handleUserFault(t, v, index, (t2) => handler(t2, mc, v, index)),
  };
}
