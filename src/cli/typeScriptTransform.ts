// The one way pagerace turns a TypeScript model into JavaScript: sucrase
// removes the types and leaves the JavaScript line for line, so stack traces
// point at the model's own lines. No type checking: that is tsc's job. Both
// ways a model is loaded (module hooks, typeScriptHooks.ts, and the cached
// plain modules of cachedModelModule.ts) use it, so that they run the same code.

const SUCRASE_OPTIONS = {
  transforms: ["typescript"],
  // Node 20 runs every syntax TypeScript emits; keep it as written.
  disableESTransforms: true,
} as const;

/** Names the transform in cache keys: it must change whenever the output would. */
export const TRANSFORM_NAME = `sucrase ${JSON.stringify(SUCRASE_OPTIONS)}`;

/** `source` (the TypeScript file at `path`) as JavaScript; sucrase is loaded on first use only. */
export async function stripTypes(source: string, path: string): Promise<string> {
  const { transform } = await import("sucrase");
  // filePath only names the file in sucrase's syntax errors: the output does not depend on it.
  return transform(source, { ...SUCRASE_OPTIONS, transforms: [...SUCRASE_OPTIONS.transforms], filePath: path }).code;
}
