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
export * from "./faultAround.ts";
export * from "./reclaim.ts";
export * from "./fuseWrite.ts";
export * from "./filemapNopage.ts";
export * from "./invalidate.ts";
export * from "./writePath.ts";
export * from "./lru.ts";
export * from "./mlock.ts";
export * from "./mlockV518.ts";
export * from "./anonVma.ts";
export * from "./cowZap.ts";
export * from "./shmemLock.ts";
export * from "./freeHooks.ts";
export * from "./pageAlloc.ts";
export * from "./addToPageCache.ts";
export * from "./tlb.ts";
export * from "./mremap.ts";
export * from "./writeback.ts";
export * from "./invalidateV5.ts";
