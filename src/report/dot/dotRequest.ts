// herd7's `-show WHAT -o DIR` on pagerace's litmus command line: where to
// write DOT files and which executions to draw (see litmusDot.ts). herd's
// other display options stay accepted and ignored (herdInvocation.ts).

import { UsageError } from "../../cli/usageError.ts";
import { SHOW_VALUES, type ShowWhat } from "./litmusDot.ts";

export interface DotRequest {
  readonly show: ShowWhat;
  readonly dir: string;
  /** The arguments as herdInvocation lists them among the ignored (`-show prop`, `-o DIR`): now they have an effect. */
  readonly handled: readonly string[];
}

/** The request when both `-o DIR` and a `-show` other than `none` are given (herd draws nothing without them); else undefined. */
export function dotRequest(args: readonly string[]): DotRequest | undefined {
  const valueOf = (name: string) => {
    const at = args.lastIndexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : undefined;
  };
  const show = valueOf("-show");
  const dir = valueOf("-o");
  if (show !== undefined && !(SHOW_VALUES as readonly string[]).includes(show))
    throw new UsageError(`-show expects one of ${SHOW_VALUES.join(", ")}, got '${show}'`);
  if (show === undefined || show === "none" || dir === undefined) return undefined;
  return { show: show as ShowWhat, dir, handled: [`-show ${show}`, `-o ${dir}`] };
}
