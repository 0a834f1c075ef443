// The clock that other entities are drawn at: a fractional server tick running a little behind
// the newest snapshot, so there is (almost) always a later snapshot to interpolate towards.
// It advances with local time every frame whether or not snapshots arrive (a late snapshot
// never freezes the picture) and is steered gently, never jumped, unless it is far off.

import { JitterEstimator } from './jitter.js';

export class PlayoutClock {
  /**
   * @param {number} tickRate server ticks per second
   * @param {number} snapshotInterval server ticks between snapshots
   */
  constructor(tickRate, snapshotInterval) {
    this.tickRate = tickRate;
    this.interval = snapshotInterval;
    this.jitter = new JitterEstimator(tickRate);
    /** Server tick minus local time in ticks, for the earliest (least delayed) arrivals seen. */
    this.offset = null;
    /** Extra delay added after each underrun, decaying back once arrivals are steady. */
    this.underrunBoost = 0;
    this.delayTicks = this.targetDelay();
    this.renderTick = null;
    this.lastFrameMs = null;
    this.underruns = 0;
  }

  /** Local milliseconds in server ticks. */
  ticksAt(ms) { return (ms * this.tickRate) / 1000; }

  /** Wanted delay behind the newest snapshot: one interval plus a jitter margin (≈ two intervals). */
  targetDelay() {
    return this.interval + Math.max(this.interval / 2, 3 * this.jitter.jitterTicks) + this.underrunBoost;
  }

  /** A snapshot with `tick` arrived at local time `nowMs`. */
  observe(tick, nowMs) {
    this.jitter.observe(tick, nowMs);
    const sample = tick - this.ticksAt(nowMs);
    // Early arrivals show the true clock; late ones are jitter. Follow a drop only slowly, so a
    // server running slightly slow is tracked without every delayed packet dragging us back.
    if (this.offset === null || sample > this.offset) this.offset = sample;
    else this.offset += (sample - this.offset) * 0.02;
  }

  /** The render tick for a frame at `nowMs`. `newestTick` is the newest snapshot buffered. */
  advance(nowMs, newestTick) {
    if (this.offset === null) return null;
    const dtMs = this.lastFrameMs === null ? 0 : Math.max(0, Math.min(250, nowMs - this.lastFrameMs));
    this.lastFrameMs = nowMs;
    this.underrunBoost = Math.max(0, this.underrunBoost - dtMs / 2000);
    this.delayTicks += (this.targetDelay() - this.delayTicks) * Math.min(1, dtMs / 500);
    const target = this.ticksAt(nowMs) + this.offset - this.delayTicks;
    if (this.renderTick === null || Math.abs(target - this.renderTick) > 4 * this.interval + 8) {
      this.renderTick = target;
    } else {
      // Run up to 10 % fast or slow until caught up: smooth, and never backwards.
      const rate = 1 + Math.max(-0.1, Math.min(0.1, (target - this.renderTick) * 0.05));
      this.renderTick += this.ticksAt(dtMs) * rate;
    }
    if (newestTick !== null && this.renderTick > newestTick) {
      this.underruns++;
      this.underrunBoost = Math.min(4 * this.interval, this.underrunBoost + dtMs * this.tickRate / 1000);
    }
    return this.renderTick;
  }

  get delayMs() { return (this.delayTicks * 1000) / this.tickRate; }
}
