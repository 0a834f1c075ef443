// Fixed-rate input ticks from a variable-rate caller (requestAnimationFrame, timers): how many
// ticks are due now, their sequence numbers, and how far we are into the next one.

import { Limits } from '../protocol/arena.js';

export class InputSequencer {
  /** @param {number} tickRate ticks per second  @param {number} [maxCatchUp] most ticks run at once */
  constructor(tickRate, maxCatchUp = 8) {
    this.msPerTick = 1000 / tickRate;
    this.maxCatchUp = maxCatchUp;
    this.lastMs = null;
    this.accumulatorMs = 0;
    /** The last sequence number handed out; the first input is 1 (ackSeq 0 means "none yet"). */
    this.seq = 0;
  }

  /** Number of ticks due at `nowMs`. After a long stall the backlog is dropped, not replayed. */
  due(nowMs) {
    if (this.lastMs === null) { this.lastMs = nowMs; return 0; }
    this.accumulatorMs += Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    let n = Math.floor(this.accumulatorMs / this.msPerTick);
    this.accumulatorMs -= n * this.msPerTick;
    if (n > this.maxCatchUp) { n = this.maxCatchUp; this.accumulatorMs = 0; }
    return n;
  }

  /** Fraction of the current tick elapsed, for drawing between two predicted states. */
  get alpha() { return Math.min(1, this.accumulatorMs / this.msPerTick); }

  nextSeq() {
    this.seq = (this.seq + 1) >>> 0;
    return this.seq;
  }
}

const axisMax = Limits.Input.moveX.max;
const diagonal = Math.round(axisMax / Math.SQRT2);

/** Movement keys to the wire's axes (Input.moveX/moveY); diagonals keep the length of a straight move. */
export function moveAxes(left, right, up, down) {
  const x = (right ? 1 : 0) - (left ? 1 : 0);
  const y = (down ? 1 : 0) - (up ? 1 : 0);
  const scale = x !== 0 && y !== 0 ? diagonal : axisMax;
  return { moveX: x * scale, moveY: y * scale };
}

/** Aim from the ship towards a point, as radians in [0, 2π) (y grows down the screen). */
export function aimAngle(fromX, fromY, toX, toY) {
  const a = Math.atan2(toY - fromY, toX - fromX);
  return a < 0 ? a + Math.PI * 2 : a;
}
