// Prediction corrections shown as a short glide instead of a snap: the drawn position is the
// prediction plus an offset that starts at the correction's negative and decays exponentially.

export class CorrectionSmoother {
  /**
   * @param {number} [timeConstantMs] the offset shrinks by e every this many ms
   * @param {number} [snapDistance] corrections longer than this (world units) are jumps (respawn)
   */
  constructor(timeConstantMs = 100, snapDistance = 64) {
    this.timeConstantMs = timeConstantMs;
    this.snapDistance = snapDistance;
    this.x = 0;
    this.y = 0;
    this.count = 0;
    this.last = 0;
    this.max = 0;
    this.total = 0;
  }

  /** The prediction moved by (dx, dy) world units on reconciliation. */
  correct(dx, dy) {
    const size = Math.hypot(dx, dy);
    if (size === 0) return;
    this.count++;
    this.last = size;
    this.max = Math.max(this.max, size);
    this.total += size;
    if (size > this.snapDistance) { this.x = 0; this.y = 0; return; }
    this.x -= dx;
    this.y -= dy;
  }

  decay(dtMs) {
    const k = Math.exp(-Math.max(0, dtMs) / this.timeConstantMs);
    this.x *= k;
    this.y *= k;
    if (Math.hypot(this.x, this.y) < 1 / 512) { this.x = 0; this.y = 0; }
  }

  get mean() { return this.count ? this.total / this.count : 0; }
}
