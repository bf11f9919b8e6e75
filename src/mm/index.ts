// The page-cache model: struct page, address_space, VMAs and page tables,
// and the kernel paths that race on them.

export * from "./page.ts";
export * from "./addressSpace.ts";
export * from "./vma.ts";
export * from "./machine.ts";
export * from "./pageRef.ts";
export * from "./pageCache.ts";
export * from "./pageTable.ts";
export * from "./truncate.ts";
export * from "./filemapFault.ts";
export * from "./userMemory.ts";
export * from "./compound.ts";
export * from "./buddy.ts";
export * from "./pfnScanner.ts";
export * from "./dax/index.ts";
