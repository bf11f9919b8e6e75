// Replay ids: a violation's path through the optimal explorer's choices,
// written as `<model tag>.<memory model>.<choices>`. The choices are small
// integers (mostly 0), stored as varints in base64url. The model tag (a
// hash of the model's name, threads and locations) catches an id used with
// the wrong model.

import type { Model } from "../program/model.ts";

export interface ReplayId {
  readonly modelTag: string;
  readonly memoryModel: string;
  readonly path: readonly number[];
}

export function modelTag(model: Model): string {
  let h = 0x811c9dc5;
  const text = [model.name, ...model.threads.map((t) => t.name), ...model.locations.map((l) => l.name)].join("\u0000");
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36).padStart(7, "0").slice(-5);
}

export function encodeReplayId(model: Model, memoryModel: string, path: readonly number[]): string {
  const bytes: number[] = [];
  for (const n of path) {
    let v = n;
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return `${modelTag(model)}.${memoryModel}.${Buffer.from(bytes).toString("base64url")}`;
}

export function decodeReplayId(id: string): ReplayId {
  const m = /^([0-9a-z]{5})\.([a-z0-9-]+)\.([A-Za-z0-9_-]*)$/.exec(id.trim());
  if (m === null) throw new Error(`'${id}' is not a replay id (expected MODELTAG.MODEL.CHOICES, e.g. 1x9qz.sc.AAEC)`);
  const bytes = Buffer.from(m[3]!, "base64url");
  const path: number[] = [];
  let v = 0;
  let scale = 1;
  for (const b of bytes) {
    v += (b & 0x7f) * scale;
    if (b & 0x80) scale *= 0x80;
    else {
      path.push(v);
      v = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new Error(`replay id '${id}' is truncated`);
  return { modelTag: m[1]!, memoryModel: m[2]!, path };
}
