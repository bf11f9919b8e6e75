// A model file outside any project that has pagerace installed (a scratch
// file, a checkout of someone's models) still imports "pagerace": when Node
// would not find the package from the model's folder, module hooks resolve it
// to the package this command line runs from, so the model and the checker
// share one set of modules. Models that find pagerace themselves get Node's
// own resolution and no hooks.

import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";

const REGISTERED = Symbol.for("pagerace.providePagerace");

/** This package's folder (two levels above src/cli and dist/cli alike), with a trailing separator. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where `import "pagerace"` from `file` leads without hooks: this copy, another one, or nowhere. */
export function pageraceSeenFrom(file: string): "this copy" | "another copy" | "none" {
  try {
    return createRequire(file).resolve("pagerace").startsWith(PACKAGE_ROOT) ? "this copy" : "another copy";
  } catch {
    return "none";
  }
}

/** Whether this thread has registered the hooks. */
export function pageraceHooksRegistered(): boolean {
  return (globalThis as Record<symbol, unknown>)[REGISTERED] === true;
}

/** Makes `import "pagerace"` (and its subpaths) work from `file`. */
export function providePagerace(file: string): void {
  const flags = globalThis as Record<symbol, unknown>;
  if (flags[REGISTERED] || pageraceSeenFrom(file) !== "none") return;
  const hooks = import.meta.url.endsWith(".ts") ? "./providePageraceHooks.ts" : "./providePageraceHooks.js";
  // Any file inside the package resolves "pagerace" to the package itself (self-reference).
  register(hooks, { parentURL: import.meta.url, data: { insidePackage: new URL("../../package.json", import.meta.url).href } });
  flags[REGISTERED] = true;
}

/**
 * Loads the package's entry when `file` will import it from this copy; to be
 * called before any module hooks are registered. Once they are, every module
 * Node loads makes a round trip to the hooks' thread, and the entry's modules
 * are most of what a model imports: loaded first, the model's own import
 * finds them there.
 */
export async function preloadPagerace(file: string): Promise<void> {
  if (pageraceSeenFrom(file) !== "another copy") await import("../index.ts");
}
