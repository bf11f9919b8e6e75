// The memory models a litmus run may name: those of the registry.

import { memoryModels } from "../../models/registry.ts";
import type { MemoryModel } from "../../models/memoryModel.ts";

export const LITMUS_MODEL_NAMES: readonly string[] = Object.keys(memoryModels).sort();

export function litmusMemoryModel(name: string): MemoryModel | undefined {
  return Object.hasOwn(memoryModels, name) ? memoryModels[name] : undefined;
}
