// Runs every test/**/*.test.ts with node's test runner (Node 20 has no glob
// for --test, so the files are listed here).
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

const files = find("test").sort();
const filter = process.argv.slice(2);
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...chosen], { stdio: "inherit" });
process.exit(res.status ?? 1);
