// Module hooks (node:module register) that run TypeScript model files through
// typeScriptTransform.ts. TypeScript files load as ES modules whatever the
// package's "type" says. A model in pagerace's checkout that imports the
// sources gets their compiled twins (compiledTwin.ts).
// Transforms are cached on disk (modelCache.ts), and sucrase is loaded only
// when one is not: a model checked again costs no sucrase at all.

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { cacheDirectory, ModelCache } from "./modelCache.ts";
import { compiledTwin } from "./compiledTwin.ts";
import { stripTypes, TRANSFORM_NAME } from "./typeScriptTransform.ts";

interface ResolveContext {
  readonly parentURL?: string;
}
interface Resolved {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
interface Loaded {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<Resolved>;
type NextLoad = (url: string, context?: object) => Promise<Loaded>;

const TYPESCRIPT = /\.m?ts$/;

function isTypeScript(url: string | undefined): boolean {
  return url !== undefined && url.startsWith("file:") && TYPESCRIPT.test(new URL(url).pathname);
}

/**
 * TypeScript with module "nodenext" writes `import "./lock.js"` for the file
 * lock.ts: when a TypeScript file's relative .js/.mjs import does not exist,
 * try its .ts/.mts twin.
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<Resolved> {
  let resolved: Resolved;
  try {
    resolved = await nextResolve(specifier, context);
  } catch (e) {
    const twin = /^\.\.?\/.*\.m?js$/.test(specifier) ? specifier.replace(/js$/, "ts") : undefined;
    if (twin === undefined || !isTypeScript(context.parentURL) || (e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw e;
    try {
      resolved = await nextResolve(twin, context);
    } catch {
      throw e;
    }
  }
  const compiled = compiledTwin(resolved.url);
  return compiled === undefined ? resolved : { ...resolved, url: compiled, format: "module" };
}

let cache: ModelCache | undefined;

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<Loaded> {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  cache ??= new ModelCache(cacheDirectory(), TRANSFORM_NAME);
  const code = await cache.get(await readFile(path, "utf8"), (source) => stripTypes(source, path));
  return { format: "module", source: code, shortCircuit: true };
}
