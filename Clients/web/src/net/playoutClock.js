// The clock that other entities are drawn at: a fractional server tick running a little behind
// the newest snapshot, so there is (almost) always a later snapshot to interpolate towards.
//
// The target is "the server tick now" (local time plus the offset of the least delayed recent
// arrivals) minus a delay of one snapshot interval plus a jitter margin plus a boost that rises
// on underruns and decays within seconds. Each frame the render tick first advances by the
// frame's time, then steers towards the target by a bounded rate (never below
// 1 - MAX_SLEW, never above 1 + MAX_SLEW), so it never runs backwards and never jumps back,
// even when an outage ends with a burst of old snapshots.

import { JitterEstimator } from './jitter.js';

/** The most the render clock runs slower or faster than real time while steering (fraction). */
export const MAX_SLEW = 0.4;
/** How long an arrival counts towards the offset (the least delayed arrival wins), ms. */
const OFFSET_WINDOW_MS = 4000;
/** The underrun boost decays by one snapshot interval per this many ms. */
const BOOST_DECAY_MS = 1500;
/** Time constant of the delay following its target, ms. */
const DELAY_FOLLOW_MS = 300;

/** The maximum of samples over a sliding time window, kept in one-second buckets. */
export class WindowMax {
  constructor(windowMs) {
    this.windowMs = windowMs;
    /** @type {{ start: number, max: number }[]} */
    this.buckets = [];
  }

  add(nowMs, value) {
    const start = Math.floor(nowMs / 1000) * 1000;
    const last = this.buckets.at(-1);
    if (last && last.start === start) last.max = Math.max(last.max, value);
    else this.buckets.push({ start, max: value });
    while (this.buckets.length && this.buckets[0].start + 1000 <= nowMs - this.windowMs) this.buckets.shift();
  }

  get value() {
    let m = null;
    for (const b of this.buckets) if (m === null || b.max > m) m = b.max;
    return m;
  }
}

export class PlayoutClock {
  /**
   * @param {number} tickRate server ticks per second
   * @param {number} snapshotInterval server ticks between snapshots
   */
  constructor(tickRate, snapshotInterval) {
    this.tickRate = tickRate;
    this.interval = snapshotInterval;
    this.jitter = new JitterEstimator(tickRate);
    this.arrivals = new WindowMax(OFFSET_WINDOW_MS);
    /** Server tick minus local time in ticks, for the least delayed recent arrival. */
    this.offset = null;
    /** Extra delay after underruns, in ticks: at most one interval, decaying within seconds. */
    this.underrunBoost = 0;
    this.delayTicks = this.targetDelay();
    this.renderTick = null;
    this.lastFrameMs = null;
    /** Frames drawn past the newest snapshot. */
    this.underruns = 0;
  }

  /** Local milliseconds in server ticks. */
  ticksAt(ms) { return (ms * this.tickRate) / 1000; }

  /**
   * Wanted delay behind the server's newest tick: one interval (snapshots are that far apart)
   * plus a margin of the measured jitter (half an interval to two) plus the underrun boost.
   * On a clean link that is ≤ 2 intervals + jitter, on a bad one ≤ 3 intervals + jitter; the
   * jitter's cap keeps the burst after an outage from pushing the picture seconds back.
   */
  targetDelay() {
    const margin = Math.max(this.interval / 2, Math.min(2 * this.interval, this.jitter.jitterTicks));
    return this.interval + margin + this.underrunBoost;
  }

  /** A snapshot with `tick` arrived at local time `nowMs`. */
  observe(tick, nowMs) {
    this.jitter.observe(tick, nowMs);
    this.arrivals.add(nowMs, tick - this.ticksAt(nowMs));
    this.offset = this.arrivals.value;
  }

  /** How late an arrival of `tick` at `nowMs` is against the least delayed recent one, ms. */
  lateness(tick, nowMs) {
    if (this.offset === null) return 0;
    return Math.max(0, ((this.offset - (tick - this.ticksAt(nowMs))) * 1000) / this.tickRate);
  }

  /** The server's newest tick as estimated now (what an on-time snapshot would carry). */
  serverTickAt(nowMs) { return this.offset === null ? null : this.ticksAt(nowMs) + this.offset; }

  /** The render tick for a frame at `nowMs`. `newestTick` is the newest snapshot buffered. */
  advance(nowMs, newestTick) {
    if (this.offset === null) return null;
    const dtMs = this.lastFrameMs === null ? 0 : Math.max(0, Math.min(250, nowMs - this.lastFrameMs));
    this.lastFrameMs = nowMs;
    this.underrunBoost = Math.max(0, this.underrunBoost - (this.interval * dtMs) / BOOST_DECAY_MS);
    this.delayTicks += (this.targetDelay() - this.delayTicks) * Math.min(1, dtMs / DELAY_FOLLOW_MS);
    const target = this.serverTickAt(nowMs) - this.delayTicks;
    if (this.renderTick === null || target - this.renderTick > this.tickRate) {
      // First frame, or more than a second behind (a tab back from the background): start there.
      this.renderTick = Math.max(this.renderTick ?? -Infinity, target);
    } else {
      // This frame's time first, then steer by what is left, at a bounded rate.
      const dt = this.ticksAt(dtMs);
      const advanced = this.renderTick + dt;
      const limit = dt * MAX_SLEW;
      this.renderTick = advanced + Math.max(-limit, Math.min(limit, target - advanced));
    }
    if (newestTick !== null && this.renderTick > newestTick) {
      this.underruns++;
      this.underrunBoost = Math.min(this.interval, this.underrunBoost + this.ticksAt(dtMs));
    }
    return this.renderTick;
  }

  /** The delay the clock aims for, ms. */
  get delayMs() { return (this.delayTicks * 1000) / this.tickRate; }

  /** How far the render tick is behind the server's estimated newest tick at `nowMs`, ms. */
  lagMs(nowMs) {
    if (this.renderTick === null || this.offset === null) return null;
    return ((this.serverTickAt(nowMs) - this.renderTick) * 1000) / this.tickRate;
  }
}
