// The litmus tests of a folder and its subfolders, in a stable order.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function litmusFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? litmusFilesUnder(path) : name.endsWith(".litmus") ? [path] : [];
    });
}
