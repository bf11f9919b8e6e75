// A small command-line parser: `--flag`, `--option value` / `--option=value`,
// and positional arguments, with errors that say what was expected.

import { UsageError } from "./usageError.ts";

export interface ParsedArguments {
  readonly positional: string[];
  readonly flags: Set<string>;
  readonly options: Map<string, string>;
}

export function parseArguments(args: readonly string[], flags: readonly string[], options: readonly string[]): ParsedArguments {
  const out: ParsedArguments = { positional: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-") || a === "-") {
      out.positional.push(a);
      continue;
    }
    const [name, inline] = a.replace(/^--?/, "").split(/=(.*)/s, 2) as [string, string | undefined];
    if (flags.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.flags.add(name);
    } else if (options.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} expects a value`);
      out.options.set(name, value);
    } else {
      throw new UsageError(`unknown option ${a} (expected one of: ${[...flags, ...options].map((f) => "--" + f).join(", ")})`);
    }
  }
  return out;
}

export function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} expects a positive integer, got '${value}'`);
  return n;
}
