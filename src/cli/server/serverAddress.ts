// Where the warm server of this installation of pagerace listens: a Unix
// socket in a folder only its user can enter (a client that could connect
// would have the server run its code as the server's user), named by what
// must be the same for a check to run there as it would run here: this
// copy of pagerace and the build of it, the node that runs it and its
// options. A client of another copy, build or node finds no server under
// its name, and checks in its own process.

import { mkdirSync, lstatSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root, three levels above src/cli/server and dist/cli/server alike (this module is in the client's bundle there too). */
const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The folder of the servers' sockets: PAGERACE_SERVER_DIR, else a folder of the user's in the temporary folder. */
export function serverDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAGERACE_SERVER_DIR || join(tmpdir(), `pagerace-${process.getuid?.() ?? "user"}`);
}

/** The socket of this installation's server (the folder is made, private, when `make`); throws when the folder is another user's or open to others. */
export function serverSocketPath(env: NodeJS.ProcessEnv = process.env, make = false): string {
  const directory = serverDirectory(env);
  if (make) mkdirSync(directory, { recursive: true, mode: 0o700 });
  const folder = lstatSync(directory);
  const uid = process.getuid?.();
  if (!folder.isDirectory() || (uid !== undefined && folder.uid !== uid) || (folder.mode & 0o077) !== 0) {
    throw new Error(`${directory} is not a folder of this user's that only it can enter: no server there`);
  }
  return join(directory, `${installationKey(env)}.sock`);
}

/** Settings pagerace reads as it loads, which a server keeps as it started with; it takes every other variable from each client. */
const LOAD_TIME_SETTINGS = ["PAGERACE_MAX_EVENTS", "PAGERACE_FROM_SOURCE"];

/** Where a server started with --detach writes what it says: beside its socket. */
export function serverLogPath(socketPath: string): string {
  return socketPath.replace(/\.sock$/, ".log");
}

/** Where a server writes its checks' model modules (cachedModelModule.ts's FreshModules): beside its socket. */
export function serverModulesPath(socketPath: string): string {
  return socketPath.replace(/\.sock$/, ".modules");
}

/** What names a server: the package's real path and build, node and its options, and the settings pagerace reads as it loads. */
function installationKey(env: NodeJS.ProcessEnv): string {
  // A rebuild rewrites tsc's build information and the client's bundle; a new install writes new files (new inodes, though npm gives them all one date).
  const built = [join(PACKAGE_ROOT, "package.json"), join(PACKAGE_ROOT, "dist", ".tsbuildinfo"), join(PACKAGE_ROOT, "dist", "cli", "server", "serverClient.bundle.js")].map((file) => {
    const s = statSync(file, { throwIfNoEntry: false });
    return s === undefined ? "-" : `${s.ino}@${s.mtimeMs}`;
  });
  const settings = LOAD_TIME_SETTINGS.map((k) => `${k}=${env[k] ?? ""}`);
  const identity = [realpathSync(PACKAGE_ROOT), ...built, process.execPath, process.version, process.execArgv.join(" "), env.NODE_OPTIONS ?? "", ...settings];
  return fnv1a64(identity.join("\n"));
}

/** FNV-1a, 64 bits, in hex: enough to tell one user's installations apart, where node:crypto would be some 3 ms of each client's start. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8")) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, "0");
}
