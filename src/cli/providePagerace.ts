// A model file outside any project that has pagerace installed (a scratch
// file, a checkout of someone's models) still imports "pagerace": when Node
// would not find the package from the model's folder, module hooks resolve it
// to the package this command line runs from, so the model and the checker
// share one set of modules. Models that find pagerace themselves get Node's
// own resolution and no hooks.

import { createRequire, register } from "node:module";

const REGISTERED = Symbol.for("pagerace.providePagerace");

/** Makes `import "pagerace"` (and its subpaths) work from `file`. */
export function providePagerace(file: string): void {
  const flags = globalThis as Record<symbol, unknown>;
  if (flags[REGISTERED]) return;
  try {
    createRequire(file).resolve("pagerace");
    return;
  } catch {
    // Not installed where the model is: fall back on this copy.
  }
  const hooks = import.meta.url.endsWith(".ts") ? "./providePageraceHooks.ts" : "./providePageraceHooks.js";
  // Any file inside the package resolves "pagerace" to the package itself (self-reference).
  register(hooks, { parentURL: import.meta.url, data: { insidePackage: new URL("../../package.json", import.meta.url).href } });
  flags[REGISTERED] = true;
}
