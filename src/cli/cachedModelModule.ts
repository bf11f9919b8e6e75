// A TypeScript model loaded without module hooks. Hooks run in a thread of
// their own, which costs a small check a good part of its start-up; the
// cache can do without them: the model's JavaScript (modelCache.ts) has its
// import specifiers rewritten to the files Node would load (pagerace's
// compiled modules, the plain modules of the model's own TypeScript imports,
// built the same way) and is written beside the cache's entries as a plain ES
// module, which Node imports as it is. A `//# sourceURL` comment keeps the
// model's own file in stack traces, so errors name the model's lines as
// before. Anything this does not serve exactly as the hooks would (a module
// that finds its own path or imports at run time, a package other than
// pagerace, a plain JavaScript or JSON import, an import cycle, a syntax
// error) is left to the hooks: `undefined` says so.

import { createHash, randomBytes } from "node:crypto";
import { readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cacheDirectory, ModelCache } from "./modelCache.ts";
import { compiledTwin, isOwnSource } from "./compiledTwin.ts";
import { stripTypes, TRANSFORM_NAME } from "./typeScriptTransform.ts";
import { importSpecifiers } from "./importSpecifiers.ts";
import { pageraceSeenFrom } from "./providePagerace.ts";

/** A cache entry: the model's JavaScript and where its import specifiers are, or that it needs the hooks. */
type Entry = { readonly code: string; readonly specifiers: readonly (readonly [number, number])[] } | { readonly hooksOnly: true };

const TYPESCRIPT = /\.m?ts$/;

/** This package's package.json: "pagerace" resolves from it as the package names itself. */
const OWN_PACKAGE = fileURLToPath(new URL("../../package.json", import.meta.url));

/**
 * Where a process that checks many times (the warm server) has each check's
 * plain modules written: in a folder of its own, each module marked with
 * the check's `instance`, so that a check gets modules of its own, whose
 * state no earlier check of the same files has touched.
 */
export interface FreshModules {
  readonly directory: string;
  readonly instance: string;
}

/**
 * The modules `file` (a TypeScript model) exports, imported as a plain ES
 * module from the cache; undefined when only the module hooks can load it
 * as Node would (nothing of it has run then).
 */
export async function importFromCache(file: string, fresh?: FreshModules): Promise<Record<string, unknown> | undefined> {
  // From the sources (PAGERACE_FROM_SOURCE), a model must get the sources tsx runs: its hooks are there anyway.
  if (!import.meta.url.endsWith(".js")) return undefined;
  const builder = new PlainModules(cacheDirectory(), fresh);
  let url: string | undefined;
  try {
    url = await builder.moduleOf(realpathSync(file));
  } catch {
    return undefined;
  }
  if (url === undefined) return undefined;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    // A syntax or linking error (thrown before any module ran: no frame of a file) reads as the hooks would word it.
    if (e instanceof SyntaxError && !/^\s+at .*file:/m.test(e.stack ?? "")) return undefined;
    throw e;
  }
}

/** Builds the plain modules of one model and of the TypeScript files it imports. */
class PlainModules {
  private readonly cache: ModelCache;
  /** Each TypeScript file's module URL (undefined: hooks only), or null while its imports are being built (a cycle). */
  private readonly built = new Map<string, string | undefined | null>();

  constructor(
    private readonly directory: string,
    private readonly fresh: FreshModules | undefined,
  ) {
    this.cache = new ModelCache(directory, `${TRANSFORM_NAME} with import specifiers`);
  }

  /** The URL to import for the file at `path` (a real path), or undefined. */
  async moduleOf(path: string): Promise<string | undefined> {
    const url = pathToFileURL(path).href;
    if (isOwnSource(url)) return compiledTwin(url);
    if (!TYPESCRIPT.test(path)) return undefined;
    if (this.built.has(path)) return this.built.get(path) ?? undefined;
    this.built.set(path, null);
    const module = await this.build(path, url);
    this.built.set(path, module);
    return module;
  }

  private async build(path: string, url: string): Promise<string | undefined> {
    const entry = JSON.parse(await this.cache.get(readFileSync(path, "utf8"), (source) => transformed(source, path))) as Entry;
    if ("hooksOnly" in entry) return undefined;
    let code = "";
    let at = 0;
    for (const [start, end] of entry.specifiers) {
      const literal = entry.code.slice(start, end);
      // An escape in the specifier: decoding it is the hooks' business.
      if (literal.includes("\\")) return undefined;
      const target = await this.resolve(literal.slice(1, -1), path);
      if (target === undefined) return undefined;
      code += entry.code.slice(at, start) + JSON.stringify(target);
      at = end;
    }
    code += `${entry.code.slice(at)}\n//# sourceURL=${url}\n`;
    if (this.fresh !== undefined) code += `//# pagerace-instance ${this.fresh.instance}\n`;
    return this.write(code);
  }

  /** What `specifier`, imported by the TypeScript file `importer`, loads as a URL; undefined when it is not served here. */
  private async resolve(specifier: string, importer: string): Promise<string | undefined> {
    if (isBuiltin(specifier)) return specifier;
    if (specifier === "pagerace" || specifier.startsWith("pagerace/")) {
      // Another installed copy resolves by its own exports, which Node's import conditions read: the hooks' case.
      if (pageraceSeenFrom(importer) === "another copy") return undefined;
      const target = createRequire(OWN_PACKAGE).resolve(specifier);
      return /\.m?js$/.test(target) ? pathToFileURL(target).href : undefined;
    }
    // Relative, absolute and file: specifiers name a file, as Node resolves them; bare ones other than pagerace are the hooks' case.
    if (!/^(\.\.?\/|\/(?!\/)|file:)/.test(specifier)) return undefined;
    const url = new URL(specifier, pathToFileURL(importer));
    if (url.search !== "" || url.hash !== "") return undefined;
    let target: string;
    try {
      target = fileURLToPath(url);
    } catch {
      return undefined;
    }
    // TypeScript with module "nodenext" writes "./lock.js" for lock.ts (as typeScriptHooks.ts resolves it).
    if (!isFile(target) && /\.m?js$/.test(target)) target = target.replace(/js$/, "ts");
    if (!isFile(target)) return undefined;
    return this.moduleOf(realpathSync(target));
  }

  /** `code` as a file of the cache named by its content (written unless it is there whole), or undefined when it cannot be written. */
  private write(code: string): string | undefined {
    const file = join(this.fresh?.directory ?? this.directory, `${createHash("sha256").update(code).digest("hex")}.mjs`);
    try {
      if (readFileSync(file, "utf8") === code) return pathToFileURL(file).href;
    } catch {
      // Not there yet.
    }
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeFileSync(temporary, code);
      renameSync(temporary, file);
      return pathToFileURL(file).href;
    } catch {
      rmSync(temporary, { force: true });
      return undefined;
    }
  }
}

/** A cache entry for the TypeScript `source` of the file at `path`. */
async function transformed(source: string, path: string): Promise<string> {
  const code = await stripTypes(source, path);
  const specifiers = await importSpecifiers(code);
  return JSON.stringify(specifiers === undefined ? { hooksOnly: true } : { code, specifiers });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
