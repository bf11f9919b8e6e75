// The memory models selectable by name (`--model sc|tso|lkmm`).

import type { MemoryModel } from "./memoryModel.ts";
import { sc } from "./sc.ts";

export const memoryModels: Readonly<Record<string, MemoryModel>> = { sc };

export function memoryModelNamed(name: string): MemoryModel {
  const m = memoryModels[name];
  if (m === undefined) throw new Error(`unknown memory model '${name}' (expected one of: ${Object.keys(memoryModels).join(", ")})`);
  return m;
}
