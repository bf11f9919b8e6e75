// Module hooks (node:module register) that run TypeScript model files: sucrase
// removes the types and leaves the JavaScript line for line, so stack traces
// point at the model's own lines. No type checking: that is tsc's job.
// TypeScript files load as ES modules whatever the package's "type" says.
// Transforms are cached on disk (modelCache.ts), and sucrase is loaded only
// when one is not: a model checked again costs no sucrase at all.

import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { cacheDirectory, ModelCache } from "./modelCache.ts";

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

/** This package's sources and their compiled output, when these hooks run compiled (from dist/). */
const SOURCES = import.meta.url.endsWith(".js") ? new URL("../../src/", import.meta.url).href : undefined;
const COMPILED = new URL("../../dist/", import.meta.url).href;

/**
 * A model in pagerace's own checkout (its examples, its tests) imports the
 * sources (../src/index.ts): the command line running from dist/ gives it
 * their compiled files instead, where they are no older than the source, so
 * that the model and the checker share one set of modules and the sources are
 * not transformed again on every run. An edited source that is not yet built
 * still loads as itself.
 */
function compiledTwin(url: string): string | undefined {
  if (SOURCES === undefined || !url.startsWith(SOURCES) || !url.endsWith(".ts")) return undefined;
  const twin = `${COMPILED}${url.slice(SOURCES.length, -".ts".length)}.js`;
  try {
    return statSync(new URL(twin)).mtimeMs >= statSync(new URL(url)).mtimeMs ? twin : undefined;
  } catch {
    return undefined;
  }
}

const SUCRASE_OPTIONS = {
  transforms: ["typescript"],
  // Node 20 runs every syntax TypeScript emits; keep it as written.
  disableESTransforms: true,
} as const;

let cache: ModelCache | undefined;

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<Loaded> {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  cache ??= new ModelCache(cacheDirectory(), `sucrase ${JSON.stringify(SUCRASE_OPTIONS)}`);
  const code = await cache.get(await readFile(path, "utf8"), async (source) => {
    const { transform } = await import("sucrase");
    // filePath only names the file in sucrase's syntax errors: the output does not depend on it.
    return transform(source, { ...SUCRASE_OPTIONS, transforms: [...SUCRASE_OPTIONS.transforms], filePath: path }).code;
  });
  return { format: "module", source: code, shortCircuit: true };
}
