// BullMQ is an optional peer dependency: only `check --redis` and `worker`
// use it, and it would triple the installed package's size for everyone
// else. It is loaded here, on demand, and its absence is a usage error that
// says what to install.

import { readFileSync } from "node:fs";
import { UsageError } from "../cli/usageError.ts";

export type BullMQ = typeof import("bullmq");

/** The range of bullmq this version of pagerace is built against (package.json's peerDependencies). */
export function bullmqRange(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { peerDependencies?: Record<string, string> };
  return pkg.peerDependencies?.bullmq ?? "5";
}

export async function loadBullMQ(option: string): Promise<BullMQ> {
  try {
    return await import("bullmq");
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw e;
    throw new UsageError(`${option} needs the bullmq package, which is not installed: npm install bullmq@'${bullmqRange()}' (beside pagerace)`);
  }
}
