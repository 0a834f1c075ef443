// Counts what a player would see go wrong with remote ships, as drawn: freezes (a ship drawn
// still for more than one snapshot interval while its snapshots show it moving) and jumps (a
// ship drawn moving further in one frame than SPEED_CAP_FACTOR × max speed × frame time,
// without a teleport). The netcode benchmark reads these through window.arbiter.

import { SPEED_CAP_FACTOR } from './smoothing.js';

/** A drawn step shorter than this (world units) counts as standing still. */
const STILL = 1e-3;

export class MotionMonitor {
  /**
   * @param {number} freezeMs a still spell longer than this is a freeze (one snapshot interval)
   * @param {number} maxSpeedPerMs the ships' max speed, world units per ms
   */
  constructor(freezeMs, maxSpeedPerMs) {
    this.freezeMs = freezeMs;
    this.maxSpeedPerMs = maxSpeedPerMs;
    /** @type {Map<number, { x: number, y: number, stillMs: number, counted: boolean }>} */
    this.ships = new Map();
    this.freezes = 0;
    this.longestFreezeMs = 0;
    this.jumps = 0;
    this.largestJump = 0;
  }

  /**
   * One drawn frame.
   * @param {number} dtMs the frame's time
   * @param {{ id: number, x: number, y: number, moving: boolean, snapped: boolean }[]} ships
   *   drawn positions; `moving`: the snapshots around the render tick show it moving;
   *   `snapped`: placed this frame (first appearance or teleport), not a jump
   */
  frame(dtMs, ships) {
    const limit = SPEED_CAP_FACTOR * this.maxSpeedPerMs * Math.max(0, dtMs) + 1e-6;
    const seen = new Set();
    for (const s of ships) {
      seen.add(s.id);
      const m = this.ships.get(s.id);
      if (!m || s.snapped) {
        this.ships.set(s.id, { x: s.x, y: s.y, stillMs: 0, counted: false });
        continue;
      }
      const step = Math.hypot(s.x - m.x, s.y - m.y);
      if (step > limit) {
        this.jumps++;
        this.largestJump = Math.max(this.largestJump, step);
      }
      if (step < STILL && s.moving) {
        m.stillMs += dtMs;
        if (m.stillMs > this.freezeMs) {
          if (!m.counted) this.freezes++;
          m.counted = true;
          this.longestFreezeMs = Math.max(this.longestFreezeMs, m.stillMs);
        }
      } else {
        m.stillMs = 0;
        m.counted = false;
      }
      m.x = s.x;
      m.y = s.y;
    }
    for (const id of this.ships.keys()) if (!seen.has(id)) this.ships.delete(id);
  }
}
