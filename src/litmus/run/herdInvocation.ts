// The command line of `pagerace litmus`, which also accepts herd7's usual
// invocation so that the kernel's tools/memory-model scripts can call
// pagerace where they call `herd7 $LKMM_HERD_OPTIONS file.litmus`:
//
//   -conf FILE     herd configuration; its `model X.cat` line (or, when the
//                  file cannot be read, its name) selects the memory model:
//                  linux-kernel → lkmm, x86tso → tso, sc → sc
//   -model X.cat   the same, from a cat file name
//   -timeout SECS  per-test time limit (also --timeout, --time-limit;
//                  default DEFAULT_LITMUS_TIME_LIMIT_S, 0 for none)
//   -q             no notes on stderr about ignored herd options
//   other herd options that only shape herd's output or its search (dot
//   graphs, -show, -through, -speedcheck, ...) are accepted and ignored,
//   with a note on stderr.
//
// pagerace's own options: --model lkmm|sc|tso, --strategy, --json.
// File arguments may be .litmus files, folders (searched for .litmus
// files) or, as in herd, `@LIST` files naming one test per line.

import { existsSync, readFileSync, statSync } from "node:fs";
import { litmusFilesUnder } from "./litmusFiles.ts";
import { basename, dirname, join, resolve } from "node:path";
import type { Strategy } from "../../explore/explore.ts";
import { UsageError } from "../../cli/usageError.ts";
import { excerptForTerminal, quoteForTerminal } from "../../report/terminalText.ts";
import { LITMUS_MODEL_NAMES, litmusMemoryModel } from "./litmusMemoryModels.ts";

/**
 * Seconds a litmus test may run when no limit is given: past it the test
 * ends with what it explored, NOT VERIFIED (exit 3), as `check
 * --time-limit` ends a run. Long enough for every test of the kernel's
 * corpus many times over (the slowest takes well under a second).
 */
export const DEFAULT_LITMUS_TIME_LIMIT_S = 60;

export interface HerdInvocation {
  /** Memory model name (see litmusMemoryModels.ts). */
  readonly model: string;
  readonly files: readonly string[];
  readonly json: boolean;
  readonly quiet: boolean;
  /** Each test's time limit (`--time-limit`, `-timeout`, `--timeout`); 0: none. */
  readonly timeLimitSeconds: number;
  readonly strategy?: Strategy;
  /** herd options accepted but without effect, for a note on stderr. */
  readonly ignored: readonly string[];
}

/** herd7 options that take a value and change nothing pagerace computes. */
const IGNORED_WITH_VALUE = new Set([
  "bell", "macros", "variant", "o", "suffix", "through", "show", "nshow", "showflag", "speedcheck", "I", "set-libdir",
  "libdir", "graph", "dotmode", "dotcom", "doshow", "unshow", "skipcheck", "skipchecks", "strictskip", "badflag",
  "throughflag", "unroll", "restrict", "debug", "machsize", "endian", "hexa", "initwrites", "showinitwrites",
  "checkfilter", "optace", "archcheck", "showkind", "shortlegend", "badexecs", "candidates", "names", "excl",
  "rename", "kinds", "conds", "cycles", "maxphantom", "dumpes", "showevents", "squished", "scale", "xscale",
  "yscale", "fontsize", "movelabel", "splines", "pad", "edgeattr", "showinitrf", "showfinalrf", "showfr",
  "showpo", "showthread", "showlegend", "texmacros", "mono", "statelessrc11", "outcomereads", "dumplem", "dumptex",
]);

/** herd7 options without a value that change nothing pagerace computes. */
const IGNORED_FLAGS = new Set(["gv", "evince", "v", "verbose", "nohash"]);

const STRATEGIES: readonly Strategy[] = ["optimal", "enumerate", "candidates"];

/** The memory model a herd cat file (or configuration) stands for, by its name. */
function modelOfHerdFile(file: string): string | undefined {
  const base = basename(file).replace(/\.(cat|cfg)$/, "").toLowerCase();
  if (base.startsWith("linux-kernel") || base === "lkmm") return "lkmm";
  if (base === "x86tso" || base === "tso") return "tso";
  if (base === "sc") return "sc";
  return undefined;
}

function modelOfConf(conf: string): string {
  if (existsSync(conf)) {
    const modelLine = /^\s*model\s+(\S+)/m.exec(readFileSync(conf, "utf8"));
    if (modelLine !== null) {
      const m = modelOfHerdFile(modelLine[1]!);
      if (m === undefined) throw new UsageError(`unsupported: model ${excerptForTerminal(modelLine[1]!)} (configuration ${excerptForTerminal(conf)}); pagerace models ${LITMUS_MODEL_NAMES.join(", ")}`);
      return m;
    }
  }
  const m = modelOfHerdFile(conf);
  if (m === undefined) throw new UsageError(`cannot tell which memory model configuration ${excerptForTerminal(conf)} selects (expected e.g. linux-kernel.cfg)`);
  return m;
}

/** A time limit in seconds, possibly fractional; 0 for none. */
function limitSeconds(value: string, option: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${excerptForTerminal(option)} expects a number of seconds (0 for no limit), got ${quoteForTerminal(value)}`);
  return n;
}

/**
 * The list of tests `arg` names, if it names one: herd's list files are
 * named with a leading '@' (`tests/@all`); `@FILE` also names FILE, as a
 * compiler's response file does. Undefined for a test or a folder.
 */
function listFile(arg: string): string | undefined {
  const named = basename(arg).startsWith("@");
  if (!named && !arg.startsWith("@")) return undefined;
  if (named && existsSync(arg)) return arg;
  const without = arg.startsWith("@") ? arg.slice(1) : join(dirname(arg), basename(arg).slice(1));
  if (existsSync(without) && statSync(without).isFile()) return without;
  throw new UsageError(`cannot read the list of tests ${excerptForTerminal(arg)}: neither ${excerptForTerminal(arg)} nor ${excerptForTerminal(without)} is a file`);
}

/** `@LIST` files, folders and plain files, in order. */
function expandFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const add = (arg: string): void => {
    const list = listFile(arg);
    if (list !== undefined) {
      // One test per line, '#' for comments; names relative to the list's folder.
      for (const line of readFileSync(list, "utf8").split("\n")) {
        const name = line.trim();
        if (name !== "" && !name.startsWith("#")) add(resolve(dirname(list), name));
      }
    } else if (existsSync(arg) && statSync(arg).isDirectory()) {
      out.push(...litmusFilesUnder(arg));
    } else out.push(arg);
  };
  args.forEach(add);
  return out;
}

export function parseHerdInvocation(args: readonly string[]): HerdInvocation {
  let model: string | undefined;
  let json = false;
  let quiet = false;
  let timeLimitSeconds = DEFAULT_LITMUS_TIME_LIMIT_S;
  let strategy: Strategy | undefined;
  const files: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-") || arg === "-") {
      files.push(arg);
      continue;
    }
    const [name, inline] = arg.replace(/^--?/, "").split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${excerptForTerminal(arg)} expects a value`);
      return v;
    };
    if (name === "json") json = true;
    else if (name === "q" || name === "quiet") quiet = true;
    else if (name === "timeout" || name === "time-limit") timeLimitSeconds = limitSeconds(value(), arg);
    else if (name === "strategy") {
      const s = value() as Strategy;
      if (!STRATEGIES.includes(s)) throw new UsageError(`--strategy expects ${STRATEGIES.join(", ")}, got ${quoteForTerminal(s)}`);
      strategy = s;
    } else if (name === "conf") model = modelOfConf(value());
    else if (name === "model") {
      const v = value();
      const m = litmusMemoryModel(v) !== undefined ? v : modelOfHerdFile(v);
      if (m === undefined) throw new UsageError(`unsupported: model ${excerptForTerminal(v)}; pagerace models ${LITMUS_MODEL_NAMES.join(", ")}`);
      model = m;
    } else if (IGNORED_WITH_VALUE.has(name)) ignored.push(`${arg} ${value()}`);
    else if (IGNORED_FLAGS.has(name)) ignored.push(arg);
    else throw new UsageError(`unknown option ${excerptForTerminal(arg)}`);
  }
  if (files.length === 0) throw new UsageError("litmus needs at least one test file");
  return { model: model ?? "lkmm", files: expandFiles(files), json, quiet, timeLimitSeconds, strategy, ignored };
}
