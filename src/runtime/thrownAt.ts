// Where in a model's own code an error was thrown: the first frame of its
// stack outside pagerace and Node, as `file:line:column` (relative to the
// working folder when it lies inside it). pagerace's kernel and mm functions
// throw on misuse from inside pagerace, so their frame is skipped and the
// model's call is the one named.

import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** pagerace's own modules: the folder above this one (src/ in the checkout, dist/ when built). */
const OWN = fileURLToPath(new URL("..", import.meta.url));

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

export function thrownAt(stack: string | undefined): string | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    let file = m[1]!;
    if (file.startsWith("node:") || file.startsWith("internal/")) continue;
    if (file.startsWith("file://")) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (file.startsWith(OWN) || file.includes(`${sep}node_modules${sep}`)) continue;
    const shown = relative(process.cwd(), file);
    return `${shown.startsWith("..") ? file : shown}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
