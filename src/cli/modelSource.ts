// Where an exploration worker (a thread, or a process on another machine)
// finds the model it explores: the file `check` loaded it from, a module's
// function called with arguments (a benchmark family), or a catalogue
// variant. Plain data, so that it travels in messages and queued jobs.

import { pathToFileURL } from "node:url";
import type { Model } from "../program/model.ts";
import { loadModels } from "./loadModels.ts";
import { UsageError } from "./usageError.ts";

export type ModelSource =
  /** The `index`-th model named `name` among those `file` exports (as `check` lists them). */
  | { readonly kind: "file"; readonly file: string; readonly name: string; readonly index: number }
  /** `module`'s export `export` called with `args`. */
  | { readonly kind: "module"; readonly module: string; readonly export: string; readonly args: readonly unknown[] }
  /** A variant of the built-in catalogue. */
  | { readonly kind: "catalogue"; readonly scenario: string; readonly variant: string };

/** The source naming `model` among the models loaded from `file`. */
export function fileSource(file: string, model: Model, loaded: readonly { file: string; model: Model }[]): ModelSource {
  const sameName = loaded.filter((l) => l.file === file && l.model.name === model.name);
  return { kind: "file", file, name: model.name, index: Math.max(0, sameName.findIndex((l) => l.model === model)) };
}

export async function loadModelSource(source: unknown): Promise<Model> {
  const s = source as ModelSource;
  if (s.kind === "file") {
    const model = (await loadModels(s.file)).filter((l) => l.model.name === s.name)[s.index]?.model;
    if (model === undefined) throw new UsageError(`${s.file} no longer exports a model named '${s.name}'`);
    return model;
  }
  if (s.kind === "module") {
    const mod = (await import(s.module.startsWith("file:") ? s.module : pathToFileURL(s.module).href)) as Record<string, unknown>;
    const build = mod[s.export];
    if (typeof build !== "function") throw new UsageError(`${s.module} has no function '${s.export}'`);
    return (build as (...args: unknown[]) => Model)(...s.args);
  }
  if (s.kind === "catalogue") {
    const { scenarios } = await import("../catalogue/index.ts");
    const variant = scenarios.find((x) => x.id === s.scenario)?.variants.find((v) => v.name === s.variant);
    if (variant === undefined) throw new UsageError(`the catalogue has no variant ${s.scenario} ${s.variant}`);
    return variant.build();
  }
  throw new UsageError(`unknown model source ${JSON.stringify(source)}`);
}
