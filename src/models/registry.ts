// The memory models selectable by name (`--model sc|tso|lkmm`).

import type { MemoryModel } from "./memoryModel.ts";
import { sc } from "./sc.ts";
import { tso } from "./tso.ts";
import { lkmm } from "./lkmm/index.ts";

export const memoryModels: Readonly<Record<string, MemoryModel>> = { sc, tso, lkmm };

export function memoryModelNamed(name: string): MemoryModel {
  const m = memoryModels[name];
  if (m === undefined) throw new Error(`unknown memory model '${name}' (expected one of: ${Object.keys(memoryModels).join(", ")})`);
  return m;
}
