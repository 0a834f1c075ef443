// Snapshot arrival jitter, measured the RFC 3550 way: how far each inter-arrival time strays
// from the server-side spacing of the two snapshots, smoothed with gain 1/16.

export class JitterEstimator {
  /** @param {number} tickRate server ticks per second */
  constructor(tickRate) {
    this.msPerTick = 1000 / tickRate;
    this.jitterMs = 0;
    this.lastTick = null;
    this.lastArrival = 0;
  }

  /** @param {number} tick the snapshot's server tick  @param {number} arrivalMs local receive time */
  observe(tick, arrivalMs) {
    if (this.lastTick !== null && tick > this.lastTick) {
      const transitChange = (arrivalMs - this.lastArrival) - (tick - this.lastTick) * this.msPerTick;
      this.jitterMs += (Math.abs(transitChange) - this.jitterMs) / 16;
    }
    if (this.lastTick === null || tick > this.lastTick) {
      this.lastTick = tick;
      this.lastArrival = arrivalMs;
    }
  }

  get jitterTicks() { return this.jitterMs / this.msPerTick; }
}
