// The watchdog watches the command's beat and, with --workers, each
// exploration thread's lane (src/cli/heartbeat.ts): a thread stuck in
// thread code is named while the other threads still beat, and a thread
// that is not exploring (waiting for work) is never taken for stuck.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { HEARTBEAT_SLOTS, laneAt, LaneBeat } from "../../src/cli/heartbeat.ts";
import { Stillness, stuckBeat } from "../../src/cli/watchdog.ts";

const LIMIT = 1000;

function armedBeat(): Int32Array {
  const beat = new Int32Array(HEARTBEAT_SLOTS);
  beat[3] = 1;
  return beat;
}

test("a lane that stands still while another beats is the one named", () => {
  const beat = armedBeat();
  const [stuck, going] = [new LaneBeat(beat, 0), new LaneBeat(beat, 1)];
  stuck.exploring(true);
  going.exploring(true);
  stuck.tid = 5;
  stuck.events = 3;
  const stillness = new Stillness();
  for (let now = 0; now < LIMIT; now += 100) {
    going.tid = now % 7;
    assert.equal(stuckBeat(beat, stillness, LIMIT, now), undefined, `at ${now} ms`);
  }
  going.tid = 6;
  const at = stuckBeat(beat, stillness, LIMIT, LIMIT);
  assert.equal(at, laneAt(0));
  assert.deepEqual([beat[at! + 1], beat[at! + 2]], [5, 3]);
  // The command's beat moved with every beat of either thread (it alone would not have said), its thread and events untouched.
  assert.equal(beat[0], 12);
  assert.deepEqual([beat[1], beat[2]], [0, 0]);
});

test("a thread waiting for work, or a command not exploring, is not stuck", () => {
  const beat = armedBeat();
  const idle = new LaneBeat(beat, 2);
  idle.tid = 1;
  idle.exploring(false);
  const stillness = new Stillness();
  for (let now = 0; now <= 3 * LIMIT; now += 100) {
    beat[0]!++;
    assert.equal(stuckBeat(beat, stillness, LIMIT, now), undefined);
  }
  // The command stops exploring: nothing is watched, however long.
  beat[3] = 0;
  idle.exploring(true);
  for (let now = 3 * LIMIT; now <= 6 * LIMIT; now += 100) assert.equal(stuckBeat(beat, stillness, LIMIT, now), undefined);
});

test("the command's own beat standing still is named when no lane is", () => {
  const beat = armedBeat();
  beat[1] = 4;
  const stillness = new Stillness();
  assert.equal(stuckBeat(beat, stillness, LIMIT, 0), undefined);
  assert.equal(stuckBeat(beat, stillness, LIMIT, LIMIT - 1), undefined);
  assert.equal(stuckBeat(beat, stillness, LIMIT, LIMIT), 0);
});

test("check --workers: an exploration thread stuck in thread code is stopped, and the thread named", () => {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", "check", "--workers", "2", "--all", "--timeout", "1", "test/cli/fixtures/stuckWorker.ts"], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^pagerace: test\/cli\/fixtures\/stuckWorker\.ts: model 'stuck worker' \[sc\]: spinner did not return to the engine within 1 s \(after 1 event of its own\)/);
});
