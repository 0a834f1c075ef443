import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputSequencer, MAX_DILATION } from '../src/game/inputSequencer.js';

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

test('the input clock speeds up when the server queue is empty and slows when it is deep', () => {
  const empty = new InputSequencer(60);
  empty.due(0);
  empty.steer(0);
  assert.equal(empty.rate, 1 + MAX_DILATION);
  const fast = ticksOver(empty, 0, 10000);
  assert.ok(fast >= 629 && fast <= 630, `${fast} ticks in 10 s`);

  const deep = new InputSequencer(60);
  deep.due(0);
  for (let i = 0; i < 50; i++) deep.steer(12);
  assert.equal(deep.rate, 1 - MAX_DILATION);
  const slow = ticksOver(deep, 0, 10000);
  assert.ok(slow >= 569 && slow <= 570, `${slow} ticks in 10 s`);

  const onTarget = new InputSequencer(60);
  for (let i = 0; i < 50; i++) onTarget.steer(2);
  assert.equal(onTarget.rate, 1);
});

test('a jittery link aims for a deeper server queue', () => {
  const q = new InputSequencer(60);
  for (let i = 0; i < 50; i++) q.steer(2, 0);
  assert.equal(q.rate, 1);
  for (let i = 0; i < 50; i++) q.steer(2, 30);
  assert.ok(q.rate > 1, `rate ${q.rate}`);
});

test('a short stall sends its whole backlog; a long one (background tab) skips it', () => {
  const q = new InputSequencer(60, 250);
  q.due(0);
  assert.equal(q.due(200), 12, '200 ms of input ticks, none dropped');
  assert.equal(q.due(200 + 2000), 0);
  assert.ok(q.skipped >= 119 && q.skipped <= 120, `${q.skipped} skipped`);
  assert.equal(q.due(200 + 2000 + 17), 1, 'and then on at the normal rate');
});
