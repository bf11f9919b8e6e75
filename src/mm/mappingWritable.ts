// address_space->i_mmap_writable (include/linux/fs.h, since 4bb5f5d9395b
// "mm: allow drivers to prevent new writable mappings", David Herrmann,
// v3.17): a count of VM_SHARED writable mappings that can also be turned
// negative to refuse new ones. mmap_region takes a writable mapping with
// mapping_map_writable (atomic_inc_unless_negative), and memfd's
// F_SEAL_WRITE (40e041a2c858 "shm: add sealing API", v3.17) denies them
// with mapping_deny_writable (atomic_dec_unless_positive), which fails
// while one exists. The two RMWs exclude each other without the i_mmap
// lock the count was protected by before: a check of one side followed by
// an update of the other would let both succeed.
//
// The count is a location of the caller's (AddressSpace has none: most
// models never map a file writably while sealing it).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { atomicDec, atomicDecUnlessPositive, atomicInc, atomicIncUnlessNegative } from "../kernel/atomic.ts";

/** mapping_map_writable(): true (0) when a writable mapping may be added, false (-EPERM) once writes are denied. */
export function mappingMapWritable(t: ThreadContext, iMmapWritable: Loc): Access<boolean> {
  return atomicIncUnlessNegative(t, iMmapWritable, `mapping_map_writable(${iMmapWritable.name})`);
}

/** mapping_unmap_writable(): a writable mapping goes away (munmap, or mmap_region's error path). */
export function mappingUnmapWritable(t: ThreadContext, iMmapWritable: Loc): Access<void> {
  return atomicDec(t, iMmapWritable);
}

/** mapping_deny_writable(): true (0) when no writable mapping exists and new ones are now refused, false (-EBUSY) otherwise. */
export function mappingDenyWritable(t: ThreadContext, iMmapWritable: Loc): Access<boolean> {
  return atomicDecUnlessPositive(t, iMmapWritable, `mapping_deny_writable(${iMmapWritable.name})`);
}

/** mapping_allow_writable(): undo a denial (shmem_add_seals when shmem_wait_for_pins fails). */
export function mappingAllowWritable(t: ThreadContext, iMmapWritable: Loc): Access<void> {
  return atomicInc(t, iMmapWritable);
}
