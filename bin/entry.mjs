// Where the command line's code comes from: the compiled dist/, the very
// files the package exports, so that a user's model importing "pagerace" and
// the command line checking it share one set of modules. PAGERACE_FROM_SOURCE=1
// runs the TypeScript sources through tsx instead, for working in a checkout
// without building after every edit (tsx is a development dependency only).

import module from "node:module";

export async function loadCli() {
  // Node 22.1+ keeps V8's compiled code of the modules between runs, which
  // takes a good part off start-up; Node 20 has no such cache, hence the check.
  module.enableCompileCache?.();
  if (process.env.PAGERACE_FROM_SOURCE) return loadSources();
  const compiled = new URL("../dist/cli/main.js", import.meta.url);
  try {
    return await import(compiled.href);
  } catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND" && e.url === compiled.href) {
      throw new Error("pagerace is not built (no dist/cli/main.js): run `npm run build`, or set PAGERACE_FROM_SOURCE=1");
    }
    throw e;
  }
}

async function loadSources() {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    throw new Error("PAGERACE_FROM_SOURCE needs tsx, a development dependency of pagerace's checkout");
  }
  register();
  return import("../src/cli/main.ts");
}
