// Where the command line's code comes from: the compiled dist/, the very
// files the package exports, so that a user's model importing "pagerace" and
// the command line checking it share one set of modules. PAGERACE_FROM_SOURCE=1
// runs the TypeScript sources through tsx instead, for working in a checkout
// without building after every edit (tsx is a development dependency only).

import module from "node:module";

/** The command line (src/cli/main.ts). */
export async function loadCli() {
  // Node 22.1+ keeps V8's compiled code of the modules between runs, which
  // takes a good part off start-up; Node 20 has no such cache, hence the check.
  module.enableCompileCache?.();
  return load("../dist/cli/main.js", "../src/cli/main.ts");
}

/** The warm server's client (src/cli/server/serverClient.ts), built as one file that loads no other of pagerace's. */
export function loadServerClient() {
  return load("../dist/cli/server/serverClient.bundle.js", "../src/cli/server/serverClient.ts");
}

async function load(built, source) {
  if (process.env.PAGERACE_FROM_SOURCE) return loadSource(source);
  const compiled = new URL(built, import.meta.url);
  try {
    return await import(compiled.href);
  } catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND" && e.url === compiled.href) {
      throw new Error(`pagerace is not built (no ${built.slice(3)}): run \`npm run build\`, or set PAGERACE_FROM_SOURCE=1`);
    }
    throw e;
  }
}

let tsxRegistered;

async function loadSource(source) {
  tsxRegistered ??= import("tsx/esm/api").then(
    ({ register }) => register(),
    () => {
      throw new Error("PAGERACE_FROM_SOURCE needs tsx, a development dependency of pagerace's checkout");
    },
  );
  await tsxRegistered;
  return import(new URL(source, import.meta.url).href);
}
