// Seed 004's scenarios: DAX fault vs truncate / punch hole (Boaz Harrosh,
// Kirill Shutemov, Jan Kara, linux-mm, Aug 2015), and the locking that
// followed in the kernel (XFS MMAPLOCK, ext4 i_mmap_sem, the v4.3
// i_mmap_rwsem attempts, the DAX entry lock, invalidate_lock).

import type { Scenario } from "../scenario.ts";
import { b1 } from "./b1FaultTruncate.ts";
import { b2 } from "./b2BoazRwlock.ts";
import { b3 } from "./b3PunchHole.ts";
import { b4 } from "./b4TruncateExtend.ts";
import { b5 } from "./b5HoleFaults.ts";
import { b5r } from "./b5rHoleReadWrite.ts";
import { b6 } from "./b6LockRecursion.ts";

export const seed004Scenarios: readonly Scenario[] = [b1, b2, b3, b4, b5, b5r, b6];
