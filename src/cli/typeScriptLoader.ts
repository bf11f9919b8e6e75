// Model and catalogue files may be TypeScript. Their types are stripped by
// sucrase in module hooks (typeScriptHooks.ts), registered once per thread and
// only when a TypeScript file is about to load that the cache cannot serve
// as a plain module (cachedModelModule.ts): plain JavaScript models, litmus
// tests and cached models never pay for them. The command line running from sources
// under tsx (PAGERACE_FROM_SOURCE) registers them too, so that models load
// the same way there as installed.

import { register } from "node:module";

const LOADED = Symbol.for("pagerace.typeScriptLoader");

/** Whether this thread has registered the hooks. */
export function typeScriptHooksRegistered(): boolean {
  return (globalThis as Record<symbol, unknown>)[LOADED] === true;
}

export async function loadTypeScript(): Promise<void> {
  const flags = globalThis as Record<symbol, unknown>;
  if (!flags[LOADED]) {
    // The hooks sit beside this file, as .ts in the sources and .js in dist/.
    const hooks = import.meta.url.endsWith(".ts") ? "./typeScriptHooks.ts" : "./typeScriptHooks.js";
    register(hooks, import.meta.url);
    flags[LOADED] = true;
  }
}
