// Taking over what a command writes to stdout and stderr, and giving the
// streams back as they were: the main thread holds a command's output until
// it is its last word (mainThreadFirst.ts), and the warm server sends it to
// its client (server/). The streams themselves are never replaced, only
// their own `write`, so that whatever else holds them still writes through.

export type StreamName = "stdout" | "stderr";

/** Each write to stdout and stderr goes to `onWrite` (the arguments the stream's write took), until the returned function gives the streams back. */
export function takeOverWrites(onWrite: (stream: StreamName, args: unknown[]) => void): () => void {
  const undo = (["stdout", "stderr"] as const).map((name) =>
    overrideOwn(process[name], "write", (...args: unknown[]) => {
      onWrite(name, args);
      return true;
    }),
  );
  return () => undo.forEach((back) => back());
}

/** `target[property]` reads `value` until the returned function puts back what was there (its own property, or none). */
export function overrideOwn(target: object, property: string, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(target, property);
  Object.defineProperty(target, property, { value, configurable: true, writable: true });
  return () => {
    if (own === undefined) delete (target as Record<string, unknown>)[property];
    else Object.defineProperty(target, property, own);
  };
}
