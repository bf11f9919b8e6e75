// DAX: file pages mapped straight from the block device, no struct page:
// the block map and allocator, DAX entries with their lock bit, the fault
// paths by kernel version, truncate and punch hole.

export * from "./blockMap.ts";
export * from "./daxMachine.ts";
export * from "./daxFs.ts";
export * from "./daxFault.ts";
export * from "./daxEntry.ts";
export * from "./daxHole.ts";
export * from "./daxHoleV47.ts";
