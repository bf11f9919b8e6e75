// A model in pagerace's own checkout (its examples, its tests) imports the
// sources (../src/index.ts): the command line running from dist/ gives it
// their compiled files instead, where they are no older than the source, so
// that the model and the checker share one set of modules and the sources are
// not transformed again on every run. An edited source that is not yet built
// still loads as itself.

import { statSync } from "node:fs";

/** This package's sources and their compiled output, when this runs compiled (from dist/). */
const SOURCES = import.meta.url.endsWith(".js") ? new URL("../../src/", import.meta.url).href : undefined;
const COMPILED = new URL("../../dist/", import.meta.url).href;

/** Whether `url` is one of this package's sources while the command line runs compiled. */
export function isOwnSource(url: string): boolean {
  return SOURCES !== undefined && url.startsWith(SOURCES);
}

/** The compiled file to load for the source at `url`; undefined when `url` is no source of this package or has no up-to-date build. */
export function compiledTwin(url: string): string | undefined {
  if (!isOwnSource(url) || !url.endsWith(".ts")) return undefined;
  const twin = `${COMPILED}${url.slice(SOURCES!.length, -".ts".length)}.js`;
  try {
    return statSync(new URL(twin)).mtimeMs >= statSync(new URL(url)).mtimeMs ? twin : undefined;
  } catch {
    return undefined;
  }
}
