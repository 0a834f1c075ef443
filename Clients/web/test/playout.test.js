import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterEstimator } from '../src/net/jitter.js';
import { PlayoutClock } from '../src/net/playoutClock.js';

test('jitter is zero for perfectly spaced arrivals and grows with irregular ones', () => {
  const steady = new JitterEstimator(60);
  for (let i = 0; i < 100; i++) steady.observe(i * 3, i * 50);
  assert.ok(steady.jitterMs < 1e-9);
  const noisy = new JitterEstimator(60);
  for (let i = 0; i < 200; i++) noisy.observe(i * 3, i * 50 + (i % 2 ? 10 : 0));
  assert.ok(noisy.jitterMs > 7 && noisy.jitterMs < 11, `jitter ${noisy.jitterMs}`);
});

/** Feeds snapshots every `interval` ticks with a per-snapshot delay; frames every 16 ms. */
function run(clock, { seconds, interval, delayOf }) {
  const msPerTick = 1000 / 60;
  const arrivals = [];
  for (let tick = 0; tick * msPerTick < seconds * 1000; tick += interval) arrivals.push([tick * msPerTick + delayOf(tick), tick]);
  arrivals.sort((a, b) => a[0] - b[0]);
  let newest = null, underrunFrames = 0, frames = 0, lastRender = -Infinity, backwards = 0;
  let k = 0;
  for (let now = 0; now < seconds * 1000; now += 16) {
    while (k < arrivals.length && arrivals[k][0] <= now) { clock.observe(arrivals[k][1], arrivals[k][0]); newest = Math.max(newest ?? -1, arrivals[k][1]); k++; }
    const r = clock.advance(now, newest);
    if (r === null) continue;
    frames++;
    if (now > 2000 && r > newest) underrunFrames++;
    if (r < lastRender) backwards++;
    lastRender = r;
  }
  return { underrunFrames, frames, backwards };
}

test('delay is about two snapshot intervals on a steady link and never underruns', () => {
  const clock = new PlayoutClock(60, 3);
  const { underrunFrames, backwards } = run(clock, { seconds: 10, interval: 3, delayOf: () => 20 });
  assert.equal(underrunFrames, 0);
  assert.equal(backwards, 0);
  assert.ok(clock.delayTicks >= 4 && clock.delayTicks <= 6.5, `delay ${clock.delayTicks} ticks`);
});

test('delay grows with jitter (steady link: 4.5 ticks) and keeps underruns rare', () => {
  const clock = new PlayoutClock(60, 3);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const { underrunFrames, frames, backwards } = run(clock, { seconds: 20, interval: 3, delayOf: () => 20 + rand() * 40 });
  assert.equal(backwards, 0);
  assert.ok(clock.delayTicks > 5.5, `delay ${clock.delayTicks} ticks should exceed the steady one`);
  assert.ok(underrunFrames / frames < 0.03, `underruns ${underrunFrames}/${frames}`);
});
