import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterEstimator } from '../src/net/jitter.js';
import { PlayoutClock, MAX_SLEW, WindowMax } from '../src/net/playoutClock.js';

const TICK_RATE = 60;
const INTERVAL = 2; // Arena: 60 Hz, a snapshot every 2 ticks
const MS_PER_TICK = 1000 / TICK_RATE;
const FRAME_MS = 1000 / 60;

/** A seeded uniform random number in [0, 1). */
function random(seed = 1) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
}

test('jitter is zero for perfectly spaced arrivals and grows with irregular ones', () => {
  const steady = new JitterEstimator(60);
  for (let i = 0; i < 100; i++) steady.observe(i * 3, i * 50);
  assert.ok(steady.jitterMs < 1e-9);
  const noisy = new JitterEstimator(60);
  for (let i = 0; i < 200; i++) noisy.observe(i * 3, i * 50 + (i % 2 ? 10 : 0));
  assert.ok(noisy.jitterMs > 7 && noisy.jitterMs < 11, `jitter ${noisy.jitterMs}`);
});

test('the window maximum forgets values older than its window', () => {
  const w = new WindowMax(2000);
  w.add(0, 5);
  w.add(1500, 3);
  assert.equal(w.value, 5);
  w.add(3200, 1);
  assert.equal(w.value, 3);
  w.add(5000, 2);
  assert.equal(w.value, 2);
});

/**
 * Runs a clock over snapshots sent every INTERVAL ticks, each arriving at `arrivalOf(sendMs)`,
 * with a frame every FRAME_MS. Calls `onFrame(now, renderTick, newest)` after each frame.
 */
function run(clock, { seconds, arrivalOf, onFrame = () => {} }) {
  const arrivals = [];
  for (let tick = 0; tick * MS_PER_TICK < seconds * 1000; tick += INTERVAL) arrivals.push([arrivalOf(tick * MS_PER_TICK), tick]);
  // TCP delivers in order: a snapshot never overtakes an earlier one.
  for (let i = 1; i < arrivals.length; i++) arrivals[i][0] = Math.max(arrivals[i][0], arrivals[i - 1][0]);
  let newest = null, k = 0;
  const trace = [];
  for (let now = 0; now < seconds * 1000; now += FRAME_MS) {
    while (k < arrivals.length && arrivals[k][0] <= now) { clock.observe(arrivals[k][1], arrivals[k][0]); newest = Math.max(newest ?? -1, arrivals[k][1]); k++; }
    const r = clock.advance(now, newest);
    if (r === null) continue;
    trace.push({ now, r, newest, delay: clock.delayTicks });
    onFrame(now, r, newest);
  }
  return trace;
}

test('the render tick is on target, not a frame early, once arrivals are steady', () => {
  const clock = new PlayoutClock(TICK_RATE, INTERVAL);
  const trace = run(clock, { seconds: 5, arrivalOf: (sent) => sent + 75 });
  const last = trace.at(-1);
  const target = clock.serverTickAt(last.now) - clock.delayTicks;
  assert.ok(Math.abs(last.r - target) < 1e-6, `render ${last.r} target ${target}`);
  // ... and so never past the newest snapshot on a steady link.
  assert.equal(trace.filter((f) => f.now > 1000 && f.r > f.newest).length, 0);
});

test('on a clean link the delay settles at most two intervals plus the jitter', () => {
  const clock = new PlayoutClock(TICK_RATE, INTERVAL);
  const rand = random(7);
  run(clock, { seconds: 10, arrivalOf: (sent) => sent + 75 + rand() * 4 });
  const jitterTicks = clock.jitter.jitterTicks;
  assert.ok(clock.delayTicks <= 2 * INTERVAL + jitterTicks, `delay ${clock.delayTicks} ticks, jitter ${jitterTicks}`);
  assert.ok(clock.delayTicks >= INTERVAL, 'at least one interval, or there is nothing to interpolate towards');
});

test('on a jittery link the delay stays within three intervals plus the jitter, with few underruns', () => {
  const clock = new PlayoutClock(TICK_RATE, INTERVAL);
  const rand = random(3);
  const trace = run(clock, { seconds: 20, arrivalOf: (sent) => sent + 75 + rand() * 60 });
  const late = trace.filter((f) => f.now > 2000 && f.r > f.newest).length;
  assert.ok(clock.delayTicks <= 3 * INTERVAL + clock.jitter.jitterTicks, `delay ${clock.delayTicks}`);
  assert.ok(clock.delayTicks > 2 * INTERVAL, `delay ${clock.delayTicks} should exceed the clean link's`);
  assert.ok(late / trace.length < 0.05, `underruns ${late}/${trace.length}`);
});

test('after a burst of late snapshots the delay rises, then comes back within a few seconds', () => {
  const clock = new PlayoutClock(TICK_RATE, INTERVAL);
  // A TCP stall at 5 s: 300 ms of snapshots held back, then delivered at once.
  const trace = run(clock, { seconds: 12, arrivalOf: (sent) => (sent >= 5000 && sent < 5300 ? 5300 + 75 : sent + 75) });
  const before = trace.find((f) => f.now >= 4900).delay;
  const peak = Math.max(...trace.filter((f) => f.now > 5000 && f.now < 6500).map((f) => f.delay));
  const after = trace.find((f) => f.now >= 9500).delay;
  assert.ok(peak > before + 0.5, `peak ${peak} vs before ${before}`);
  assert.ok(after < before + 0.1, `after ${after} vs before ${before}`);
});

test('after a 2 s outage the render tick never goes back and is on target within 300 ms', () => {
  const clock = new PlayoutClock(TICK_RATE, INTERVAL);
  // Total outage from 4 s to 6 s; TCP then delivers the held snapshots in a burst.
  const rand = random(11);
  const resumeMs = 6000 + 75;
  let previous = -Infinity, previousNow = null, backwards = 0, fastest = 0;
  const trace = run(clock, {
    seconds: 9,
    arrivalOf: (sent) => (sent >= 4000 && sent < 6000 ? resumeMs + (sent - 4000) / 100 : sent + 75 + rand() * 20),
    onFrame: (now, r) => {
      if (r < previous) backwards++;
      if (previousNow !== null) fastest = Math.max(fastest, (r - previous) / ((now - previousNow) / MS_PER_TICK));
      previous = r;
      previousNow = now;
    },
  });
  assert.equal(backwards, 0);
  assert.ok(fastest <= 1 + MAX_SLEW + 1e-9, `rate ${fastest}`);
  const settled = trace.filter((f) => f.now >= resumeMs + 300 && f.now < resumeMs + 1500);
  assert.ok(settled.length >= 60, `the clock renders after the outage (${settled.length} frames)`);
  for (const f of settled) {
    const target = clock.serverTickAt(f.now) - f.delay;
    assert.ok(f.r <= f.newest, `render ${f.r} past newest ${f.newest} at ${f.now}`);
    assert.ok(Math.abs(f.r - target) < INTERVAL, `render ${f.r} vs target ${target} at ${f.now}`);
  }
});
