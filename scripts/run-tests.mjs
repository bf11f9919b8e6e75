// Runs every test/**/*.test.ts with node's test runner (Node 20 has no glob
// for --test, so the files are listed here). Builds dist/ first: the tests
// that start bin/pagerace.mjs run the compiled command line, as users do.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

// tsc emits JavaScript even when types are wrong; tests run under tsx, which
// ignores types too, so a type error is reported (npm test stops on it) but
// does not keep a single test file from running.
const built = spawnSync(process.execPath, ["scripts/build.mjs"], { encoding: "utf8" });
if (built.status !== 0) {
  const errors = `${built.stdout}${built.stderr}`.split("\n").filter((l) => /error TS/.test(l)).length;
  console.error(`scripts/build.mjs: ${errors} type error(s) (npm run typecheck lists them); testing what tsc emitted`);
}

const files = find("test").sort();
const filter = process.argv.slice(2);
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...chosen], { stdio: "inherit" });
process.exit(res.status ?? 1);
