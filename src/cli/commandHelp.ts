// Whether a command's arguments ask for its usage, decided before the
// command loads: by main.ts, and by the warm server's client, which must
// not send such a command to the server.

/** Whether `args` (after the command's name) hold --help or -h among the options: options end at "--", after which a file may be named --help. */
export function asksForCommandHelp(args: readonly string[]): boolean {
  const options = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  return options.includes("--help") || options.includes("-h");
}
