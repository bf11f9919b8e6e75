// The command line of pagerace's own commands (check, replay, scenarios,
// scenario), read by node:util's parseArgs: `--flag`, `--option value` or
// `--option=value`, positional arguments. parseArgs's errors are rewritten
// to say what was expected, and become usage errors (exit 2). (`litmus`
// keeps herd7's conventions: src/litmus/run/herdInvocation.ts.)

import { parseArgs } from "node:util";
import { UsageError } from "./usageError.ts";

/** Each option: a flag (`boolean`) or one that takes a value (`string`). */
export type OptionTypes = Readonly<Record<string, "boolean" | "string">>;

export interface ParsedArguments {
  readonly positional: string[];
  readonly flags: ReadonlySet<string>;
  readonly options: ReadonlyMap<string, string>;
}

export function parseArguments(args: readonly string[], types: OptionTypes): ParsedArguments {
  const options = Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(explain(e, types));
  }
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === true) flags.add(name);
    else if (typeof value === "string") values.set(name, value);
  }
  return { positional: parsed.positionals, flags, options: values };
}

/** parseArgs's message, in the terms of this command line: which option, and what it expects. */
function explain(e: unknown, types: OptionTypes): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const option = /'(-{1,2}[^' <]+)/.exec(message)?.[1];
  const known = Object.keys(types)
    .map((name) => "--" + name)
    .join(", ");
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option ?? message} (expected one of: ${known})`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option !== undefined) {
    if (/does not take an argument/.test(message)) return `${option} takes no value`;
    if (/ambiguous/.test(message)) return `${option} expects a value (to give one that starts with a dash, write ${option}=VALUE)`;
    return `${option} expects a value`;
  }
  return message;
}

export function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${name} expects a positive integer, got '${value}'`);
  return n;
}

/** Seconds, possibly fractional (`--time-limit 0.5`). */
export function positiveSeconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} expects a positive number of seconds, got '${value}'`);
  return n;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(value: string | undefined, name: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${name} expects ${choices.join(", ").replace(/, ([^,]*)$/, " or $1")}, got '${value}'`);
  return value as T;
}
