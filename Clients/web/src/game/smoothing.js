// Drawn positions that never jump unless the server placed a ship (a teleport): corrections of
// the own ship and discontinuities of remote ships (extrapolation meeting the next snapshot, a
// ship held through an outage) are shown as glides. A glide is an offset from where the ship
// should be that decays exponentially, capped in speed: no frame moves the drawing by more than
// SPEED_CAP_FACTOR × max speed × frame time.

/** The most a drawn ship moves in one frame, as a multiple of the ship's max speed. */
export const SPEED_CAP_FACTOR = 1.5;

/** (x, y) scaled down to length at most `max`. */
function capped(x, y, max) {
  const len = Math.hypot(x, y);
  if (len <= max || len === 0) return { x, y };
  const k = max / len;
  return { x: x * k, y: y * k };
}

/** The own ship's correction: drawn = prediction + an offset that glides back to zero. */
export class CorrectionSmoother {
  /**
   * @param {number} [timeConstantMs] the offset shrinks by e every this many ms...
   * @param {number} [maxSpeedPerMs] ...but by at most this many world units per ms
   */
  constructor(timeConstantMs = 100, maxSpeedPerMs = Infinity) {
    this.timeConstantMs = timeConstantMs;
    this.maxSpeedPerMs = maxSpeedPerMs;
    this.x = 0;
    this.y = 0;
  }

  /** The prediction moved by (dx, dy) world units: keep drawing where we were, then glide. */
  glide(dx, dy) {
    this.x -= dx;
    this.y -= dy;
  }

  /** The ship was placed (teleport): draw it where it is now. */
  snap() {
    this.x = 0;
    this.y = 0;
  }

  decay(dtMs) {
    const dt = Math.max(0, dtMs);
    const k = Math.exp(-dt / this.timeConstantMs);
    const step = capped(this.x * (1 - k), this.y * (1 - k), this.maxSpeedPerMs * dt);
    this.x -= step.x;
    this.y -= step.y;
    if (Math.hypot(this.x, this.y) < 1 / 512) { this.x = 0; this.y = 0; }
  }
}

/**
 * Drawn positions of remote ships following their interpolated (or extrapolated) positions.
 * A ship is snapped when it first appears or its teleport counter changes; otherwise its drawing
 * moves towards the target, closing the gap with time constant `timeConstantMs`, capped.
 */
export class DrawnShips {
  /** @param {number} [timeConstantMs] */
  constructor(timeConstantMs = 50) {
    this.timeConstantMs = timeConstantMs;
    /** @type {Map<number, { x: number, y: number, teleport: number }>} */
    this.drawn = new Map();
  }

  /**
   * @param {{ id: number, x: number, y: number, teleport: number }[]} targets where each ship should be
   * @param {number} dtMs the frame's time
   * @param {number} maxStep the most a ship's drawing may move this frame (world units)
   * @returns {Map<number, { x: number, y: number, snapped: boolean }>} where each ship is drawn
   */
  update(targets, dtMs, maxStep) {
    const out = new Map();
    const k = Math.exp(-Math.max(0, dtMs) / this.timeConstantMs);
    for (const t of targets) {
      const d = this.drawn.get(t.id);
      if (!d || d.teleport !== t.teleport) {
        this.drawn.set(t.id, { x: t.x, y: t.y, teleport: t.teleport });
        out.set(t.id, { x: t.x, y: t.y, snapped: true });
        continue;
      }
      // Where the decaying offset would put it, reached at no more than maxStep.
      const wantX = t.x + (d.x - t.x) * k, wantY = t.y + (d.y - t.y) * k;
      // A glide's tail shorter than 1/512 unit is closed at once when that stays within the cap.
      const close = Math.hypot(wantX - t.x, wantY - t.y) < 1 / 512 && Math.hypot(t.x - d.x, t.y - d.y) <= maxStep;
      const step = capped((close ? t.x : wantX) - d.x, (close ? t.y : wantY) - d.y, maxStep);
      d.x += step.x;
      d.y += step.y;
      out.set(t.id, { x: d.x, y: d.y, snapped: false });
    }
    for (const id of this.drawn.keys()) if (!out.has(id)) this.drawn.delete(id);
    return out;
  }
}
