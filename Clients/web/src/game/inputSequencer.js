// Fixed-rate input ticks from a variable-rate caller (requestAnimationFrame, timers): how many
// ticks are due now, their sequence numbers, and how far we are into the next one.
//
// The input clock is dilated (Overwatch-style) by up to ±MAX_DILATION to keep this player's
// queue on the server (Snapshot.inputBuffer) near a small target: faster when the queue runs
// dry (the server would hold the ship), slower when it grows (every queued input is latency).
// A backlog after a short stall is sent whole, since each dropped tick is lost intent; after a
// stall longer than `maxStallMs` (a tab in the background) it is skipped, the server having held
// the ship meanwhile.

/** The most the input clock runs faster or slower than the server's tick rate (fraction). */
export const MAX_DILATION = 0.05;
/** Inputs the server should have queued after a tick on a clean link; up to one more with jitter,
 * staying at or below the server's catch-up threshold (T = 3 at 60 Hz, Protocol/README.md §5.1)
 * so the client's steering and the server's catch-up do not fight. */
const BUFFER_TARGET = 2;
const MAX_JITTER_EXTRA = 1;
/** Rate change per input of buffer error (before the ±MAX_DILATION bound). */
const DILATION_GAIN = 0.025;
/** Weight of each new inputBuffer report in the smoothed depth. */
const BUFFER_SMOOTHING = 0.1;

import { Limits } from '../protocol/arena.js';

export class InputSequencer {
  /** @param {number} tickRate ticks per second  @param {number} [maxStallMs] longest backlog sent */
  constructor(tickRate, maxStallMs = 250) {
    this.msPerTick = 1000 / tickRate;
    this.maxStallMs = maxStallMs;
    this.lastMs = null;
    this.accumulatorMs = 0;
    /** Input ticks per server tick: 1 ± MAX_DILATION. */
    this.rate = 1;
    /** Smoothed Snapshot.inputBuffer, null before the first report. */
    this.serverBuffer = null;
    this.bufferTarget = BUFFER_TARGET;
    /** Ticks skipped after long stalls. */
    this.skipped = 0;
    /** The last sequence number handed out; the first input is 1 (ackSeq 0 means "none yet"). */
    this.seq = 0;
  }

  /** Length of one input tick at the current rate, ms. */
  get tickMs() { return this.msPerTick / this.rate; }

  /** Number of ticks due at `nowMs`. After a stall longer than maxStallMs the backlog is skipped. */
  due(nowMs) {
    if (this.lastMs === null) { this.lastMs = nowMs; return 0; }
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    if (elapsed > this.maxStallMs) {
      this.skipped += Math.floor((this.accumulatorMs + elapsed) / this.tickMs);
      this.accumulatorMs = 0;
      return 0;
    }
    this.accumulatorMs += elapsed;
    const n = Math.floor(this.accumulatorMs / this.tickMs);
    this.accumulatorMs -= n * this.tickMs;
    return n;
  }

  /**
   * The server reported `inputBuffer` inputs of ours still queued after a tick; `jitterMs` is the
   * link's measured jitter (a deeper queue rides it out). Sets the input clock's rate.
   */
  steer(inputBuffer, jitterMs = 0) {
    this.serverBuffer = this.serverBuffer === null ? inputBuffer : this.serverBuffer + (inputBuffer - this.serverBuffer) * BUFFER_SMOOTHING;
    this.bufferTarget = BUFFER_TARGET + Math.min(MAX_JITTER_EXTRA, jitterMs / this.msPerTick);
    // An empty queue means the server is holding the ship right now: full speed-up at once.
    const error = inputBuffer === 0 ? Infinity : this.bufferTarget - this.serverBuffer;
    this.rate = 1 + Math.max(-MAX_DILATION, Math.min(MAX_DILATION, error * DILATION_GAIN));
  }

  /** Fraction of the current tick elapsed, for drawing between two predicted states. */
  get alpha() { return Math.min(1, this.accumulatorMs / this.tickMs); }

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
