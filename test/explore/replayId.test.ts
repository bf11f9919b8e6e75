// Replay ids round-trip on any path, are short for the long runs of one
// choice that loops make, and are never longer than the plain form.

import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeReplayId, decodeReplayId } from "../../src/explore/replayId.ts";
import { abba } from "../../examples/lockOrder.ts";

// A fixed-seed generator: a failure names the seed that reproduces it.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The form every id had before runs: each choice a varint, in base64url. */
function plainLength(path: readonly number[]): number {
  let bytes = 0;
  for (const n of path) bytes += n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
  return Math.ceil((bytes * 4) / 3);
}

function check(path: number[], what: string) {
  const id = encodeReplayId(abba, "lkmm", path);
  assert.deepEqual(decodeReplayId(id), { modelTag: id.slice(0, 5), memoryModel: "lkmm", path }, `${what}: ${id}`);
  assert.ok(id.length <= `xxxxx.lkmm.`.length + plainLength(path), `${what}: ${id} is longer than the plain form`);
}

test("random paths with long runs of equal choices round-trip", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = random(seed);
    const path: number[] = [];
    const runs = Math.floor(rnd() * 12);
    for (let r = 0; r < runs; r++) {
      const choice = rnd() < 0.6 ? 0 : Math.floor(rnd() * (rnd() < 0.9 ? 4 : 300));
      const length = 1 + Math.floor(rnd() ** 3 * 5000);
      for (let k = 0; k < length; k++) path.push(choice);
    }
    check(path, `seed ${seed}`);
  }
});

test("random paths with no runs round-trip", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = random(seed);
    const path: number[] = [];
    const length = Math.floor(rnd() * 60);
    for (let k = 0; k < length; k++) {
      let c = Math.floor(rnd() * (rnd() < 0.8 ? 5 : 20000));
      if (c === path[path.length - 1]) c++;
      path.push(c);
    }
    check(path, `seed ${seed}`);
  }
});

test("a loop's thousands of equal choices make a short id", () => {
  const id = encodeReplayId(abba, "sc", new Array<number>(2700).fill(0));
  assert.ok(id.length < 20, id);
});

test("ids written before runs existed still decode", () => {
  const path = [0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 200, 0];
  const old = `wewai.sc.${Buffer.from([0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 0xc8, 0x01, 0]).toString("base64url")}`;
  assert.deepEqual(decodeReplayId(old).path, path);
  assert.throws(() => decodeReplayId("wewai.sc.~Aw"), /truncated/);
});
