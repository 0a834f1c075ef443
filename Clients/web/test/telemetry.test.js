import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MotionMonitor } from '../src/game/motionMonitor.js';
import { Telemetry, CorrectionCause } from '../src/game/telemetry.js';
import { Samples } from '../src/net/netStats.js';

const FRAME_MS = 1000 / 60;
const SPEED = (1100 / 256) * 60 / 1000; // Arena's max speed, world units per ms
const INTERVAL_MS = 1000 / 30;

test('a ship drawn still while its snapshots show it moving is one freeze per still spell', () => {
  const m = new MotionMonitor(INTERVAL_MS, SPEED);
  const ship = (x, moving) => [{ id: 1, x, y: 0, moving, snapped: false }];
  m.frame(FRAME_MS, ship(0, true));
  for (let i = 0; i < 2; i++) m.frame(FRAME_MS, ship(0, true));
  assert.equal(m.freezes, 0, 'two frames (one interval) still is not yet a freeze');
  for (let i = 0; i < 10; i++) m.frame(FRAME_MS, ship(0, true));
  assert.equal(m.freezes, 1);
  assert.ok(Math.abs(m.longestFreezeMs - 12 * FRAME_MS) < 1e-6, `${m.longestFreezeMs}`);
  m.frame(FRAME_MS, ship(1, true));
  for (let i = 0; i < 5; i++) m.frame(FRAME_MS, ship(1, true));
  assert.equal(m.freezes, 2);
  // Standing still in its snapshots too: not a freeze.
  for (let i = 0; i < 20; i++) m.frame(FRAME_MS, ship(1, false));
  assert.equal(m.freezes, 2);
});

test('a ship drawn moving further than 1.5 × max speed in a frame is a jump, unless it was placed', () => {
  const m = new MotionMonitor(INTERVAL_MS, SPEED);
  const limit = 1.5 * SPEED * FRAME_MS;
  m.frame(FRAME_MS, [{ id: 1, x: 0, y: 0, moving: true, snapped: false }]);
  m.frame(FRAME_MS, [{ id: 1, x: limit * 0.99, y: 0, moving: true, snapped: false }]);
  assert.equal(m.jumps, 0);
  m.frame(FRAME_MS, [{ id: 1, x: limit * 0.99 + 30, y: 0, moving: true, snapped: false }]);
  assert.equal(m.jumps, 1);
  assert.ok(Math.abs(m.largestJump - 30) < 1e-9);
  m.frame(FRAME_MS, [{ id: 1, x: 900, y: 0, moving: false, snapped: true }]);
  assert.equal(m.jumps, 1, 'a teleport is no jump');
  // A ship that left the view and came back is new, not a jump.
  m.frame(FRAME_MS, []);
  m.frame(FRAME_MS, [{ id: 1, x: 0, y: 0, moving: false, snapped: false }]);
  assert.equal(m.jumps, 1);
});

test('input→ack latency, corrections by cause, server queue and held ticks since join', () => {
  const t = new Telemetry();
  t.inputSent(1, 0);
  t.inputSent(2, 16);
  t.inputSent(3, 33);
  t.server(0, 0, 40, 100); // joined with 40 held ticks already on the server's counter
  t.server(2, 1, 43, 200);
  assert.deepEqual(t.inputAck.values, [200, 184]);
  t.server(3, 2, 43, 250);
  const f = t.figures();
  assert.equal(f.inputAckMaxMs, 217);
  assert.equal(f.inputAckMs, 217);
  assert.equal(f.heldTicks, 3);
  assert.equal(f.serverInputBuffer, 2);
  t.correction(0, CorrectionCause.misprediction);
  t.correction(2.5, CorrectionCause.contact);
  t.correction(300, CorrectionCause.teleport);
  const g = t.figures();
  assert.deepEqual([g.corrections, g.correctionsContact, g.correctionsTeleport, g.correctionsMisprediction], [2, 1, 1, 0]);
  assert.deepEqual([g.correctionLast, g.correctionLastCause], [300, 'teleport']);
});

test('snapshot gaps and lateness', () => {
  const t = new Telemetry();
  t.snapshot(0, 0);
  t.snapshot(33, 2);
  t.snapshot(400, 300);
  t.snapshot(401, 260);
  const f = t.figures();
  assert.equal(f.snapshotGapMaxMs, 367);
  assert.equal(f.snapshotLateMaxMs, 300);
  assert.equal(f.snapshotLateMs, 260);
});

test('samples keep a median of the recent values and the maximum ever', () => {
  const s = new Samples(4);
  for (const v of [100, 1, 2, 3, 4]) s.add(v);
  assert.deepEqual([...s.values].sort((a, b) => a - b), [1, 2, 3, 4]);
  assert.equal(s.p50, 3);
  assert.equal(s.max, 100);
  assert.equal(new Samples().p50, null);
});
