// TypeScript models transformed once: loading sucrase and running it is most
// of what a TypeScript model costs at start-up beyond a JavaScript one, and a
// model is checked many times between edits. The JavaScript is kept on disk
// under a key of the source's content, pagerace's version and the transform's
// options, so that an edited model (a new key) is transformed again and an
// upgrade never serves an old transform. Every failure to read or write the
// cache falls back on transforming: the cache only ever saves time.

import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The last line of an entry: a checksum of what precedes it, so that a torn or damaged entry is never run. */
const TRAILER = "\n//# pagerace-model-cache ";

/**
 * Where entries live: $XDG_CACHE_HOME/pagerace when that is set; otherwise
 * node_modules/.cache/pagerace of the project pagerace is installed in (or of
 * its checkout), the place build tools keep their caches; else ~/.cache/pagerace.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "pagerace");
  // The package root, two levels above src/cli and dist/cli alike.
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const parent = dirname(root);
  if (basename(parent) === "node_modules") return join(parent, ".cache", "pagerace");
  if (existsSync(join(root, "node_modules"))) return join(root, "node_modules", ".cache", "pagerace");
  const home = homedir();
  return home ? join(home, ".cache", "pagerace") : join(tmpdir(), "pagerace-cache");
}

function pageraceVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A cache of one transform (named by `options`, which must change whenever its output would). */
export class ModelCache {
  private readonly salt: string;

  constructor(
    readonly directory: string,
    options: string,
  ) {
    this.salt = `${pageraceVersion()}\0${options}\0`;
  }

  /** The transformed `source`: from the cache, else from `transform`, then stored. */
  async get(source: string, transform: (source: string) => string | Promise<string>): Promise<string> {
    const file = join(this.directory, `${sha256(this.salt + source)}.js`);
    const cached = await this.read(file);
    if (cached !== undefined) return cached;
    const code = await transform(source);
    await this.write(file, code);
    return code;
  }

  private async read(file: string): Promise<string | undefined> {
    let entry: string;
    try {
      entry = await readFile(file, "utf8");
    } catch {
      return undefined;
    }
    const at = entry.lastIndexOf(TRAILER);
    if (at < 0) return undefined;
    const code = entry.slice(0, at);
    return entry.slice(at + TRAILER.length) === sha256(code) ? code : undefined;
  }

  /**
   * Written to a file of its own, then renamed over the entry: runs at the
   * same time (a folder of models, two terminals) never see half an entry,
   * and the last rename wins with a whole one.
   */
  private async write(file: string, code: string): Promise<void> {
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(this.directory, { recursive: true });
      await writeFile(temporary, code + TRAILER + sha256(code));
      await rename(temporary, file);
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}
