// Model and catalogue files may be TypeScript: the bundled command line
// registers tsx once per thread, when a TypeScript module is first loaded
// (bin/entry.mjs sets the flag when the sources already run under tsx).

export async function loadTypeScript(): Promise<void> {
  const key = Symbol.for("pagerace.tsx");
  const flags = globalThis as Record<symbol, unknown>;
  if (flags[key]) return;
  const { register } = await import("tsx/esm/api");
  register();
  flags[key] = true;
}
