// Loading the models a file (or every file of a folder) exports: a default
// export that is a model or an array of models, and named exports that are,
// in the order the file declares them (exportOrder.ts); files of a folder
// in name order. A TypeScript model loads from the cache as a plain module
// when it can (cachedModelModule.ts), else through module hooks.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Model } from "../program/model.ts";
import { cannotBeLoaded, UsageError } from "./usageError.ts";
import { loadTypeScript, typeScriptHooksRegistered } from "./typeScriptLoader.ts";
import { pageraceHooksRegistered, preloadPagerace, providePagerace } from "./providePagerace.ts";
import { exportOrder } from "./exportOrder.ts";
import { importFromCache, type FreshModules } from "./cachedModelModule.ts";
import { HandOver, isHandOver } from "./boundedSlice.ts";
import { shownPath } from "./shownPath.ts";

export interface LoadedModel {
  readonly file: string;
  readonly model: Model;
}

/** Set while the warm server runs a check: its models load as fresh modules of the cache, or not there at all. */
let serving: FreshModules | undefined;

/**
 * The warm server's models load from the cache only, as modules of their
 * own (`fresh`; undefined again after the check): a module the hooks or
 * Node's loader served would stay in the server as first loaded, however
 * its file changed since. A model that cannot load so hands the check back
 * to its client (HandOver).
 */
export function loadModelsFresh(fresh: FreshModules | undefined): void {
  serving = fresh;
}

export async function loadModels(target: string): Promise<LoadedModel[]> {
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`${target}: no such file or folder`);
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith(".d.ts"))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const out: LoadedModel[] = [];
  for (const file of files) {
    let mod: Record<string, unknown> | undefined;
    try {
      if (serving !== undefined) {
        mod = /\.m?ts$/.test(file) ? await importFromCache(file, serving) : undefined;
        if (mod === undefined) throw new HandOver();
      } else if (/\.m?ts$/.test(file) && !hooksRegistered()) {
        // Once the hooks are registered, every model goes through them: a module two models share is then loaded once.
        mod = await importFromCache(file);
      }
      if (mod === undefined) {
        await preloadPagerace(file);
        providePagerace(file);
        if (/\.[mc]?ts$/.test(file)) await loadTypeScript();
        mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      }
    } catch (e) {
      if (isHandOver(e)) throw e;
      const syntax = (await import("./syntaxErrorPosition.ts")).syntaxErrorAt(file, e);
      // The cached module keeps the model's own file in its stack, so an error its code threw names the line.
      throw syntax !== undefined ? new UsageError(syntax) : cannotBeLoaded(shownPath(file), e);
    }
    const exported = mod;
    const ordered = exportOrder(readFileSync(file, "utf8"), Object.keys(exported)).map((name) => exported[name]);
    const models = ordered.flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isModel);
    if (models.length === 0 && statSync(path).isFile())
      throw new UsageError(`${shownPath(file)}: exports no model (export default model("name", (m) => { ... }), or an array of models)`);
    const seen = new Set<Model>();
    for (const model of models) if (!seen.has(model)) seen.add(model), out.push({ file, model });
  }
  return out;
}

function hooksRegistered(): boolean {
  return typeScriptHooksRegistered() || pageraceHooksRegistered();
}

function isModel(v: unknown): v is Model {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Model).name === "string" &&
    Array.isArray((v as Model).threads) &&
    Array.isArray((v as Model).locations) &&
    Array.isArray((v as Model).checks)
  );
}
