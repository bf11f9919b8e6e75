// A redis-server of the test's own: a free loopback port, a temporary
// directory, nothing saved to disk. The Redis tests run whenever Debian's
// redis-server is installed (.ci/run installs it).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Why the Redis tests cannot run here, or undefined when they can. */
export function redisMissing(): string | undefined {
  const r = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return r.error === undefined && r.status === 0 ? undefined : "redis-server is not installed (apt-get install redis-server; .ci/run installs it)";
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "pagerace-redis-"));
  const server: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout!.setEncoding("utf8").on("data", (d: string) => (log += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${log}`)), 10_000);
    const check = () => {
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on("data", check);
    server.once("exit", (code) => reject(new Error(`redis-server ended (${code}):\n${log}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (server.exitCode === null) {
        const ended = new Promise((r) => server.once("exit", r));
        server.kill("SIGKILL");
        await ended;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
