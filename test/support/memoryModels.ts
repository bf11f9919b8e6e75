// The memory models a model's verdict is checked under, by name, for tests
// that assert a race is found (or a fix verified) under each.

import { memoryModelNamed } from "../../src/models/registry.ts";

export const MEMORY_MODELS = (["sc", "tso", "lkmm"] as const).map((name) => [name, memoryModelNamed(name)] as const);
