// Which commands run in the main thread first (mainThreadFirst.ts): check
// and replay, decided before any of that is loaded: a command whose client
// finds a warm server (server/serverClient.ts) runs there instead, and
// never loads it. The arguments decide whether a command may go there; the
// heap, read only once the command is to run in this process (node:v8 is a
// few milliseconds of a served command's client), whether it runs in this
// main thread.

/** A heap that a fraction of a second of allocation cannot fill. */
const LARGE_HEAP_BYTES = 2 ** 30;

/** The commands that may run in a main thread first, and their options that change nothing but what they explore and print (the rest start workers or write files). */
const SIDE_EFFECT_FREE: Readonly<Record<string, { readonly values: ReadonlySet<string>; readonly flags: ReadonlySet<string> }>> = {
  check: {
    values: new Set(["model", "strategy", "keep-violations", "width", "time-limit", "max-executions", "max-events", "timeout"]),
    flags: new Set(["events", "races-are-violations", "json", "quiet", "all", "no-symmetry"]),
  },
  replay: { values: new Set(["width", "max-events", "timeout"]), flags: new Set(["json"]) },
};

/** Whether `command` with `args` may run in a main thread first (here, or in a warm server's). */
export function argumentsAllowMainThread(command: string, args: readonly string[]): boolean {
  if (!Object.hasOwn(SIDE_EFFECT_FREE, command)) return false;
  const options = SIDE_EFFECT_FREE[command]!;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (!arg.startsWith("-")) continue;
    const [name, value] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (!arg.startsWith("--")) return false;
    if (options.values.has(name)) {
      if (value === undefined) i++;
    } else if (!options.flags.has(name)) return false;
  }
  return true;
}

/** Whether this process's heap is large enough for a check in its main thread (node started with a small --max-old-space-size: in the worker). */
export async function heapAllowsMainThread(): Promise<boolean> {
  const { getHeapStatistics } = await import("node:v8");
  return getHeapStatistics().heap_size_limit >= LARGE_HEAP_BYTES;
}
