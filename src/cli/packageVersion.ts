// The package's version (package.json is two levels up from src/cli and
// from dist/cli alike): `--version` prints it, and a distributed run's
// workers must share the coordinator's.

import { readFileSync } from "node:fs";

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
