import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputSequencer } from '../src/game/inputSequencer.js';

/** Input ticks produced over `ms` of 8 ms timer calls starting at `from`. */
function ticksOver(q, from, ms) {
  let n = 0;
  for (let t = from + 8; t <= from + ms; t += 8) n += q.due(t);
  return n;
}

test('input ticks at the tick rate, numbered from 1', () => {
  const q = new InputSequencer(60);
  assert.equal(q.due(0), 0);
  let total = 0;
  for (let t = 7; t <= 1001; t += 7) total += q.due(t);
  assert.equal(total, 60);
  assert.equal(q.nextSeq(), 1);
  assert.equal(q.nextSeq(), 2);
});

test('a hold sends nothing extra: the late input already is a tick of lead', () => {
  const q = new InputSequencer(60);
  q.due(0);
  for (let i = 0; i < 5; i++) q.nextSeq();
  q.steer(0, 4, 7); // first report: heldTicks known from now on
  q.steer(0, 5, 8); // held once since
  assert.equal(q.pacer.holds, 1);
  assert.equal(q.due(17), 1, 'one tick, one input');
  assert.equal(q.due(34), 1);
  q.steer(1, 5, 9);
  assert.equal(q.pacer.holds, 2);
  assert.equal(q.pacer.skips, 0);
});

test('a surplus that lasted a whole window is skipped', () => {
  const q = new InputSequencer(60, 250, 2); // 30 reports a second: 60 in the window
  q.due(0);
  let t = 0;
  for (let r = 0; r < 60; r++) {
    const n = q.due((t += 1000 / 30));
    for (let i = 0; i < n; i++) q.nextSeq();
    q.steer(r % 5 === 0 ? 2 : 3, Math.max(0, q.seq - 3), 0);
  }
  assert.equal(q.pacer.skips, 2, 'the fewest waiting in the window');
  assert.equal(q.due(t + 1000 / 60), 0);
  assert.equal(q.due(t + 2000 / 60), 0);
  assert.equal(q.due(t + 3000 / 60), 1);
});

test('without reports the clock runs at the tick rate', () => {
  const q = new InputSequencer(60);
  q.due(0);
  let total = 0;
  for (let t = 8; t <= 10000; t += 8) total += q.due(t);
  assert.ok(total >= 599 && total <= 600, `${total} inputs in 10 s`);
});

test('a short stall sends its whole backlog; a long one (background tab) skips it', () => {
  const q = new InputSequencer(60, 250);
  q.due(0);
  assert.equal(q.due(200), 12, '200 ms of input ticks, none dropped');
  assert.equal(q.due(200 + 2000), 0);
  assert.ok(q.skipped >= 119 && q.skipped <= 120, `${q.skipped} skipped`);
  assert.equal(q.due(200 + 2000 + 17), 1, 'and then on at the normal rate');
});
