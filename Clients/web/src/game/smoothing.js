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
 * A ship is snapped when it first appears or its teleport counter changes; otherwise it is
 * drawn at its target plus an offset (from a discontinuity of the target) that decays with time
 * constant `timeConstantMs`, the frame's step capped.
 */
export class DrawnShips {
  /** @param {number} [timeConstantMs] */
  constructor(timeConstantMs = 50) {
    this.timeConstantMs = timeConstantMs;
    /** @type {Map<number, { x: number, y: number, ox: number, oy: number, teleport: number }>} drawn position, offset from target */
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
        this.drawn.set(t.id, { x: t.x, y: t.y, ox: 0, oy: 0, teleport: t.teleport });
        out.set(t.id, { x: t.x, y: t.y, snapped: true });
        continue;
      }
      // The target's own motion plus the offset's decay (an offset under 1/512 unit closes).
      const keep = Math.hypot(d.ox, d.oy) * k < 1 / 512 ? 0 : k;
      const step = capped(t.x + d.ox * keep - d.x, t.y + d.oy * keep - d.y, maxStep);
      d.x += step.x;
      d.y += step.y;
      d.ox = d.x - t.x;
      d.oy = d.y - t.y;
      out.set(t.id, { x: d.x, y: d.y, snapped: false });
    }
    for (const id of this.drawn.keys()) if (!out.has(id)) this.drawn.delete(id);
    return out;
  }
}
