import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectionSmoother, DrawnShips, SPEED_CAP_FACTOR } from '../src/game/smoothing.js';
import { SnapshotBuffer } from '../src/net/snapshotBuffer.js';

const FRAME_MS = 1000 / 60;
/** Arena's max speed: 1100 subunits per tick at 60 Hz, in world units per ms. */
const SPEED = (1100 / 256) * 60 / 1000;
const CAP = SPEED_CAP_FACTOR * SPEED * FRAME_MS;

test('the own ship glides a 300-unit correction at no more than the cap per frame', () => {
  const s = new CorrectionSmoother(100, SPEED_CAP_FACTOR * SPEED);
  s.glide(300, 0);
  assert.equal(s.x, -300, 'drawn where it was');
  let frames = 0, previous = s.x;
  while (s.x !== 0 && frames < 10000) {
    s.decay(FRAME_MS);
    assert.ok(s.x - previous <= CAP + 1e-9, `step ${s.x - previous}`);
    assert.ok(s.x >= previous, 'always towards the prediction');
    previous = s.x;
    frames++;
  }
  assert.ok(frames > 10 && frames < 60 * 10, `${frames} frames`);
});

test('a small own correction decays exponentially; a teleport snaps', () => {
  const s = new CorrectionSmoother(100, SPEED_CAP_FACTOR * SPEED);
  s.glide(2, 0);
  s.decay(100);
  assert.ok(Math.abs(s.x + 2 / Math.E) < 1e-9, `${s.x}`);
  s.glide(0, 400);
  s.snap();
  assert.deepEqual([s.x, s.y], [0, 0]);
});

test('a remote ship snaps exactly when its teleport counter changes and glides 300 units otherwise', () => {
  const ships = new DrawnShips(50);
  ships.update([{ id: 1, x: 0, y: 0, teleport: 0 }, { id: 2, x: 0, y: 0, teleport: 3 }], FRAME_MS, CAP);
  // Both targets move 300 units in one go; only ship 2 was placed (3 -> 0, the counter wraps).
  const moved = ships.update([{ id: 1, x: 300, y: 0, teleport: 0 }, { id: 2, x: 300, y: 0, teleport: 0 }], FRAME_MS, CAP);
  assert.deepEqual(moved.get(2), { x: 300, y: 0, snapped: true });
  assert.equal(moved.get(1).snapped, false);
  assert.ok(Math.abs(moved.get(1).x - CAP) < 1e-9, `first glide step ${moved.get(1).x}`);
  let x = moved.get(1).x, frames = 1;
  while (x < 300 && frames < 1000) {
    const next = ships.update([{ id: 1, x: 300, y: 0, teleport: 0 }], FRAME_MS, CAP).get(1).x;
    assert.ok(next - x <= CAP + 1e-9 && next >= x);
    x = next;
    frames++;
  }
  assert.equal(x, 300);
});

test('extrapolation blends back into interpolation with no frame moving more than the cap', () => {
  // A ship flying right at 90 % of max speed turns down while its snapshots are 300 ms late.
  const perTick = SPEED * 0.9 * (1000 / 60);
  const at = (tick) => (tick <= 100 ? { x: tick * perTick, y: 500 } : { x: 100 * perTick, y: 500 + (tick - 100) * perTick });
  const buffer = new SnapshotBuffer({ maxExtrapolateTicks: 15 });
  const ships = new DrawnShips(50);
  const push = (tick) => buffer.push(tick, [{ id: 1, type: 'Player', value: { name: 'b', ...at(tick), aim: 0, health: 100, alive: true, powered: false, teleport: 0 } }]);
  let sent = 0, previous = null, largest = 0, extrapolated = 0;
  for (let frame = 0; frame < 300; frame++) {
    const renderTick = frame - 4; // four ticks behind the server
    // Snapshots every 2 ticks; from tick 96 to 114 they are held back and then arrive at once.
    while (sent <= frame && (sent < 96 || frame >= 114)) { push(sent); sent += 2; }
    const { entities, extrapolating } = buffer.sample(renderTick);
    if (extrapolating) extrapolated++;
    const d = ships.update(entities, FRAME_MS, CAP).get(1);
    if (previous) largest = Math.max(largest, Math.hypot(d.x - previous.x, d.y - previous.y));
    previous = d;
    if (frame === 299) assert.ok(Math.hypot(d.x - entities[0].x, d.y - entities[0].y) < 1e-6, 'converged onto the interpolated position');
  }
  assert.ok(extrapolated > 5, 'the stall was extrapolated through');
  assert.ok(largest <= CAP + 1e-9, `largest frame step ${largest}, cap ${CAP}`);
});
