// `pagerace server`: a process that stays warm between commands. A small
// check, replay or litmus test spends most of its time on node starting,
// pagerace loading and V8 compiling the engine's code anew; the server has
// done all of that once, so a command run there takes a few milliseconds
// beyond its exploration. `pagerace check`, `replay` and `litmus` of the
// same installation run there whenever a server listens and is free
// (serverClient.ts); a check or replay it cannot run as the client's own
// process would (serveMainThreadFirst.ts), the client runs itself.

import { spawn } from "node:child_process";
import { createConnection, createServer, type Socket } from "node:net";
import { closeSync, linkSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { parseArguments, positiveInteger } from "../arguments.ts";
import { UsageError } from "../usageError.ts";
import { serverLogPath, serverModulesPath, serverSocketPath } from "./serverAddress.ts";
import { onMessages, send, type ClientMessage, type CommandRequest, type ServerMessage } from "./serverProtocol.ts";
import { serveMainThreadFirst, SignalRelay } from "./serveMainThreadFirst.ts";
import { serveLitmus } from "./serveLitmus.ts";
import { warmUp } from "./warmUp.ts";
import { environmentOfThisProcess } from "./clientProcess.ts";

export const SERVER_USAGE = `pagerace server [--detach | --stop | --status [--json]] [--idle-minutes N]
  a process that stays warm between commands: while it runs, \`pagerace check\`,
  \`replay\` and \`litmus\` of this installation (same package and build, same node and
  node options) run there, from the client's folder and environment, with the same
  output and exit code. A run that outgrows the server's main thread goes on in the
  client's worker. The client runs itself a check with options that start workers or
  write files, and one of a model the server cannot load afresh: plain JavaScript, or
  TypeScript that imports JavaScript, JSON or a package other than pagerace, or reads
  import.meta. PAGERACE_NO_SERVER=1 makes a command ignore the server.
  --detach              start the server in the background and return once it listens
  --stop                stop this installation's server (exit 0, whether one ran or not)
  --status [--json]     say whether it runs (exit 0) or not (exit 1), and what it has served
  --idle-minutes N      end after N minutes without a command (default 60)
  the socket's folder: PAGERACE_SERVER_DIR, else pagerace-<uid> in the temporary folder`;

const OPTIONS = { detach: "boolean", stop: "boolean", status: "boolean", json: "boolean", "idle-minutes": "string" } as const;

/** Past this share of its heap in use after a command, the server ends rather than grow into a failure of a later one. */
const HEAP_SHARE = 0.25;

export async function serverCommand(args: readonly string[]): Promise<number> {
  const a = parseArguments(args, OPTIONS);
  if (a.positional.length > 0) throw new UsageError(`server takes no files\n${SERVER_USAGE}`);
  const idleMinutes = positiveInteger(a.options.get("idle-minutes"), "idle-minutes") ?? 60;
  const asked = ["detach", "stop", "status"].filter((f) => a.flags.has(f));
  if (asked.length > 1) throw new UsageError(`server takes one of --detach, --stop and --status\n${SERVER_USAGE}`);
  let socketPath: string;
  try {
    socketPath = serverSocketPath(process.env, true);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (a.flags.has("status")) {
    const status = await ask(socketPath, { kind: "status" });
    if (a.flags.has("json")) {
      const { kind: _, ...fields } = status?.kind === "status" ? status : { kind: "" };
      console.log(JSON.stringify({ running: status?.kind === "status", socket: socketPath, ...fields }));
      return status?.kind === "status" ? 0 : 1;
    }
    if (status?.kind !== "status") {
      console.log("pagerace server: not running");
      return 1;
    }
    const cpu = `${(status.cpuMs / 1000).toFixed(2)} s of CPU`;
    const served = `${status.served} command${status.served === 1 ? "" : "s"} served${status.handedBack === 0 ? "" : `, ${status.handedBack} handed back to ${status.handedBack === 1 ? "its client" : "their clients"}`}`;
    console.log(`pagerace server: running (pid ${status.pid}) since ${status.startedAt}, ${served}${status.busy ? ", one under way" : ""}, ${cpu}`);
    console.log(`  socket: ${socketPath}\n  log (of a server started with --detach): ${serverLogPath(socketPath)}`);
    return 0;
  }
  if (a.flags.has("stop")) {
    const stopped = await ask(socketPath, { kind: "stop" });
    console.log(stopped === undefined ? "pagerace server: not running" : `pagerace server: stopped (pid ${stopped.kind === "status" ? stopped.pid : "?"})`);
    return 0;
  }
  const running = await ask(socketPath, { kind: "status" });
  if (running?.kind === "status") throw new UsageError(`a server of this installation runs already (pid ${running.pid}; pagerace server --stop ends it)`);
  if (a.flags.has("detach")) return detach(socketPath, idleMinutes);
  return serve(socketPath, idleMinutes);
}

/** Starts the server as a process of its own and waits until it answers. */
async function detach(socketPath: string, idleMinutes: number): Promise<number> {
  const bin = fileURLToPath(new URL("../../../bin/pagerace.mjs", import.meta.url));
  // What the server says (that it stopped, and why) goes to a log beside its socket.
  const log = openSync(serverLogPath(socketPath), "a", 0o600);
  const child = spawn(process.execPath, [...process.execArgv, bin, "server", "--idle-minutes", String(idleMinutes)], { detached: true, stdio: ["ignore", "ignore", log] });
  closeSync(log);
  child.unref();
  for (let waited = 0; waited < 10_000; waited += 50) {
    const status = await ask(socketPath, { kind: "status" });
    if (status?.kind === "status") {
      console.log(`pagerace server: started (pid ${status.pid}), listening on ${socketPath}; its log: ${serverLogPath(socketPath)}`);
      return 0;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.error(`pagerace: the server did not start (${serverLogPath(socketPath)} may say why)`);
  return 2;
}

async function serve(socketPath: string, idleMinutes: number): Promise<number> {
  const startedAt = new Date().toISOString();
  const modules = serverModulesPath(socketPath);
  let requests = 0;
  /** Commands run here to their end (not those handed back to their clients). */
  let served = 0;
  /** Commands begun here that their clients ran or went on with (a run that outgrew the main thread, a model that cannot load afresh). */
  let handedBack = 0;
  let busy = false;
  /** The warm-up's command under way (warmUp.ts); the first client's command ends the warm-up. */
  let warming: Promise<unknown> | undefined;
  let warmedUp = false;
  let idle: NodeJS.Timeout | undefined;
  const server = createServer();
  const status = (): ServerMessage => {
    const cpu = process.cpuUsage();
    return { kind: "status", pid: process.pid, served, handedBack, startedAt, busy, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  /** Runs a command (check, replay or litmus) as its client's process would; whether it ran here to its end. */
  const run = (request: CommandRequest, reply: (m: ServerMessage) => void, gone: () => boolean, signals: SignalRelay): Promise<boolean> =>
    request.args[0] === "litmus"
      ? serveLitmus(request, reply, gone).then(() => true)
      : serveMainThreadFirst(request, reply, signals, modules, `${process.pid}-${++requests}`);
  /** The inode of this server's socket, once it listens: the socket's name and the modules folder beside it are this server's while the name is that inode's. */
  let listening: number | undefined;
  const ownsName = () => listening !== undefined && statSync(socketPath, { throwIfNoEntry: false })?.ino === listening;
  const end = (code: number) => {
    if (ownsName()) {
      rmSync(socketPath, { force: true });
      rmSync(modules, { recursive: true, force: true });
    }
    server.close();
    process.exit(code);
  };
  const idleFromNow = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      console.error(`pagerace server: no command for ${idleMinutes} minutes; stopping`);
      end(0);
    }, idleMinutes * 60_000);
  };
  // A failure the server cannot answer for: it ends, and the client under way runs its command itself.
  process.on("uncaughtException", (e) => {
    console.error(`pagerace server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    end(70);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => end(0));

  server.on("connection", (client: Socket) => {
    const signals = new SignalRelay();
    client.on("error", () => client.destroy());
    onMessages<ClientMessage>(client, (message) => {
      switch (message.kind) {
        case "status":
          send(client, status());
          client.end();
          return;
        case "stop":
          send(client, status());
          client.end(() => end(0));
          return;
        case "signal":
          signals.signal(message.signal);
          return;
        case "command":
          if (busy) {
            send(client, { kind: "declined", why: "the server is busy with another command" });
            client.end();
            return;
          }
          busy = true;
          clearTimeout(idle);
          const done = () => {
            busy = false;
            client.end();
            const heap = getHeapStatistics();
            if (heap.used_heap_size > heap.heap_size_limit * HEAP_SHARE) {
              console.error("pagerace server: its heap has grown large; stopping (the next command runs in its own process)");
              end(0);
            }
            idleFromNow();
          };
          warmedUp = true;
          // A client that stopped waiting while an earlier command held the thread has gone, and ran its own in its process.
          setImmediate(async () => {
            if (client.readyState !== "open") return done();
            send(client, { kind: "accepted" });
            await warming;
            // A client gone before its check ended (killed outright) reads nothing more: the check stops.
            client.on("close", () => signals.signal("SIGTERM"));
            void run(message, (m) => send(client, m), () => client.readyState !== "open", signals).then((ran) => {
              if (ran) served++;
              else handedBack++;
              done();
            });
          });
      }
    });
  });
  // The server listens on a name of its own, then takes the socket's name for it (claimName).
  const own = `${socketPath}.${process.pid}`;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    rmSync(own, { force: true });
    server.listen(own, () => resolve());
  });
  listening = statSync(own).ino;
  const other = await claimName(own, socketPath);
  rmSync(own, { force: true });
  if (other !== undefined) {
    server.close();
    throw new UsageError(`a server of this installation runs already (pid ${other}; pagerace server --stop ends it)`);
  }
  // What a server killed outright left here is cleared, before any client's command comes.
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { mode: 0o700 });
  // Two servers that found the same socket left by a killed one may both take the name; the one whose name was taken ends.
  setInterval(() => {
    if (ownsName()) return;
    console.error("pagerace server: another server of this installation has taken the socket's name; stopping");
    end(0);
  }, 1000);
  console.error(`pagerace server: listening on ${socketPath} (pid ${process.pid}); checks, replays and litmus tests of this installation run here until it stops`);
  idleFromNow();
  void warmUp(modules, async (args) => {
    if (warmedUp) return;
    const request: CommandRequest = { kind: "command", args, cwd: process.cwd(), env: environmentOfThisProcess(), stdoutColumns: undefined, stderrIsTTY: false };
    warming = run(request, () => {}, () => false, new SignalRelay());
    await warming;
    warming = undefined;
    // A client's command, come meanwhile, goes first.
    await new Promise((resolve) => setImmediate(resolve));
  });
  return new Promise<number>(() => {});
}

/**
 * Gives the socket listening at `own` the name `socketPath`: a hard link,
 * which fails when the name exists, so that of two servers started at once
 * one has it. A name no server answers on is left by one killed outright,
 * and goes. Returns the pid of the server that has the name, when another.
 */
async function claimName(own: string, socketPath: string): Promise<number | undefined> {
  for (;;) {
    try {
      linkSync(own, socketPath);
      return undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const answer = await ask(socketPath, { kind: "status" });
    if (answer?.kind === "status") return answer.pid;
    rmSync(socketPath, { force: true });
  }
}

/** The server's one answer to `message`, or undefined when none listens. */
function ask(socketPath: string, message: ClientMessage): Promise<ServerMessage | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    let answer: ServerMessage | undefined;
    socket.on("connect", () => send(socket, message));
    socket.on("error", () => resolve(undefined));
    onMessages<ServerMessage>(socket, (m) => (answer ??= m));
    socket.on("close", () => resolve(answer));
  });
}
