// Replay ids: a violation's path through the optimal explorer's choices,
// written as `<model tag>.<memory model>.<choices>`. The choices are small
// integers (mostly 0), stored as varints in base64url, either one by one or,
// marked `~`, as runs of equal choices, whichever is shorter. The model tag (a
// hash of the model's name, threads and locations, and of EXPLORER_PATHS)
// catches an id used with the wrong model, or made by a pagerace whose
// explorer takes other paths.

import type { Model } from "../program/model.ts";

export interface ReplayId {
  readonly modelTag: string;
  readonly memoryModel: string;
  readonly path: readonly number[];
}

/**
 * Which choices lead to which execution, as this version of the explorer
 * makes them: to be raised by any change that makes a path lead elsewhere
 * (2: an await the latest write does not let through waits its turn, and
 * symmetry reduction; 3: under load buffering, revisits of reads of held
 * locks, and a held-lock read no write can feed waits instead of ending its
 * graph), so that an id made by another version is refused rather than
 * replayed into another execution.
 */
const EXPLORER_PATHS = 3;

export function modelTag(model: Model): string {
  let h = 0x811c9dc5;
  const text = [`explorer paths ${EXPLORER_PATHS}`, model.name, ...model.threads.map((t) => t.name), ...model.locations.map((l) => l.name)].join("\u0000");
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36).padStart(7, "0").slice(-5);
}

export function encodeReplayId(model: Model, memoryModel: string, path: readonly number[]): string {
  const plain = Buffer.from(varints(path)).toString("base64url");
  const runs = RUNS_MARK + Buffer.from(varints(runLengths(path))).toString("base64url");
  // Runs cost a marker and a length per run: a path without long runs stays in the plain form.
  return `${modelTag(model)}.${memoryModel}.${runs.length < plain.length ? runs : plain}`;
}

export function decodeReplayId(id: string): ReplayId {
  const m = /^([0-9a-z]{5})\.([a-z0-9-]+)\.(~?)([A-Za-z0-9_-]*)$/.exec(id.trim());
  if (m === null) throw new Error(`'${id}' is not a replay id (expected MODELTAG.MODEL.CHOICES, e.g. 1x9qz.sc.AAEC)`);
  const numbers = fromVarints(Buffer.from(m[4]!, "base64url"), id);
  return { modelTag: m[1]!, memoryModel: m[2]!, path: m[3] === RUNS_MARK ? fromRunLengths(numbers, id) : numbers };
}

/**
 * Marks choices written as runs. A loop that polls until the event bound
 * makes the same choice thousands of times; written one by one, its id
 * was thousands of characters. `~` is outside base64url, so the plain form
 * (the only one before) still reads as it always did.
 */
const RUNS_MARK = "~";

/** Each run as `choice * 2 + 1, length - 2` (length >= 2), a single choice as `choice * 2`. */
function runLengths(path: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < path.length; ) {
    let j = i + 1;
    while (j < path.length && path[j] === path[i]) j++;
    if (j - i === 1) out.push(path[i]! * 2);
    else out.push(path[i]! * 2 + 1, j - i - 2);
    i = j;
  }
  return out;
}

function fromRunLengths(numbers: readonly number[], id: string): number[] {
  const path: number[] = [];
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i]!;
    const choice = Math.floor(n / 2);
    if (n % 2 === 0) {
      path.push(choice);
      continue;
    }
    const length = numbers[++i];
    if (length === undefined) throw new Error(`replay id '${id}' is truncated`);
    for (let k = 0; k < length + 2; k++) path.push(choice);
  }
  return path;
}

/** Little-endian base-128, the high bit set on every byte but a number's last. */
function varints(numbers: readonly number[]): number[] {
  const bytes: number[] = [];
  for (const n of numbers) {
    let v = n;
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return bytes;
}

function fromVarints(bytes: Uint8Array, id: string): number[] {
  const numbers: number[] = [];
  let v = 0;
  let scale = 1;
  for (const b of bytes) {
    v += (b & 0x7f) * scale;
    if (b & 0x80) scale *= 0x80;
    else {
      numbers.push(v);
      v = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new Error(`replay id '${id}' is truncated`);
  return numbers;
}
