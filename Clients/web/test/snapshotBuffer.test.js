import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotBuffer, lerpAngle } from '../src/net/snapshotBuffer.js';

const player = (id, x, y, extra = {}) => ({ id, type: 'Player', value: { name: `p${id}`, x, y, aim: 0, health: 100, alive: true, powered: false, teleport: 0, ...extra } });

test('interpolates between the snapshots around the render tick', () => {
  const b = new SnapshotBuffer();
  b.push(10, [player(1, 0, 0)]);
  b.push(13, [player(1, 30, 60)]);
  const { entities, extrapolating } = b.sample(11);
  assert.equal(extrapolating, false);
  assert.equal(entities.length, 1);
  assert.ok(Math.abs(entities[0].x - 10) < 1e-9 && Math.abs(entities[0].y - 20) < 1e-9);
});

test('extrapolates briefly past the newest snapshot, then holds', () => {
  const b = new SnapshotBuffer({ maxExtrapolateTicks: 3 });
  b.push(10, [player(1, 0, 0)]);
  b.push(13, [player(1, 30, 0)]);
  let s = b.sample(14);
  assert.equal(s.extrapolating, true);
  assert.ok(Math.abs(s.entities[0].x - 40) < 1e-9);
  s = b.sample(100);
  assert.ok(Math.abs(s.entities[0].x - 60) < 1e-9, `held at ${s.entities[0].x}`);
});

test('with a coast, extrapolation slows down smoothly instead of stopping dead', () => {
  const b = new SnapshotBuffer({ maxExtrapolateTicks: 3, coastTicks: 2 });
  b.push(10, [player(1, 0, 0)]);
  b.push(13, [player(1, 30, 0)]);
  const x = (tick) => b.sample(tick).entities[0].x;
  assert.ok(Math.abs(x(16) - 60) < 1e-9, 'full speed up to maxExtrapolateTicks');
  const steps = [];
  for (let t = 16; t < 30; t++) steps.push(x(t + 1) - x(t));
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i] < steps[i - 1] && steps[i] > 0, `steps ${steps}`);
  assert.ok(steps[0] < 10, 'slower than full speed right after');
  assert.ok(x(1000) <= 80 + 1e-9 && x(1000) > 79.9, `stops within velocity × coast: ${x(1000)}`);
});

test('a changed teleport counter is drawn at one place or the other; the same counter slides any distance', () => {
  const b = new SnapshotBuffer();
  b.push(10, [player(1, 0, 0), player(2, 0, 0)]);
  b.push(14, [player(1, 500, 0, { teleport: 1 }), player(2, 400, 0)]);
  const early = b.sample(11).entities, late = b.sample(13).entities;
  assert.deepEqual([early[0].x, early[0].teleport], [0, 0]);
  assert.deepEqual([late[0].x, late[0].teleport], [500, 1]);
  assert.equal(early[0].moving, false, 'a placed ship is not moving');
  assert.equal(early[1].x, 100);
  assert.equal(early[1].moving, true);
});

test('a ship standing still between its snapshots is not moving', () => {
  const b = new SnapshotBuffer();
  b.push(10, [player(1, 7, 7)]);
  b.push(12, [player(1, 7, 7)]);
  assert.equal(b.sample(11).entities[0].moving, false);
  assert.equal(b.sample(20).entities[0].moving, false);
});

test('entities that leave disappear, new projectiles appear early, stale ticks are ignored', () => {
  const b = new SnapshotBuffer();
  const shot = { id: 9, type: 'Projectile', value: { owner: 1, x: 5, y: 5, angle: 0, spawnTick: 12 } };
  b.push(10, [player(1, 0, 0), player(2, 0, 0)]);
  b.push(13, [player(1, 3, 0), shot]);
  assert.equal(b.push(12, []), false);
  const ids = b.sample(11).entities.map((e) => e.id).sort();
  assert.deepEqual(ids, [1, 2, 9]);
  assert.deepEqual(b.sample(13).entities.map((e) => e.id).sort(), [1, 9]);
});

test('prune keeps what the render tick still needs', () => {
  const b = new SnapshotBuffer();
  for (let t = 0; t <= 30; t += 3) b.push(t, [player(1, t, 0)]);
  b.prune(20);
  assert.equal(b.snapshots[0].tick, 18);
  assert.ok(Math.abs(b.sample(20).entities[0].x - 20) < 1e-9);
});

test('angles interpolate the short way round', () => {
  const a = lerpAngle(6.0, 0.2, 0.5);
  const expected = (6.0 + (0.2 + 2 * Math.PI - 6.0) / 2) % (2 * Math.PI);
  assert.ok(Math.abs(a - expected) < 1e-9);
  assert.ok(Math.abs(lerpAngle(1, 2, 0.25) - 1.25) < 1e-9);
});
