// Fixed-rate input ticks from a variable-rate caller (requestAnimationFrame, timers): how many
// Inputs are due now, their sequence numbers, and how far we are into the next tick.
//
// When they are sent is paced by the server's reports (Protocol/README.md §5.1), the same rule
// as the Swift clients' InputPacer (Sources/Arena/InputPacer.swift): a hold (the server found none
// of ours: Own.heldTicks changed) is itself a tick more of lead, since the late Input is taken a
// tick later, so nothing extra is sent and the window starts again; the surplus is skipped when
// every report of the last 2 s showed Inputs of ours still waiting, with no new judgement until an
// Input sent after the skip is acknowledged. So Inputs wait about a tick on the server on a clean
// link, and a browser whose frames slip, or a jittery link, earns exactly the lead it needs.
// A backlog after a short stall is sent whole, since each dropped tick is lost intent; after a
// stall longer than `maxStallMs` (a tab in the background) it is skipped, the server having held
// the ship meanwhile.

/** How long a surplus must last before it is given up, s. */
export const PACING_WINDOW_S = 2;

/** The pacing rule of Protocol/README.md §5.1, one report and one input tick at a time. */
export class InputPacer {
  /** @param {number} reportsPerSecond Snapshots per second (tick rate / snapshot interval) */
  constructor(reportsPerSecond, windowSeconds = PACING_WINDOW_S) {
    this.reportsPerWindow = Math.max(1, Math.round(Math.max(1, reportsPerSecond) * windowSeconds));
    /** Input ticks still to skip (send nothing). */
    this.skipping = 0;
    this.spare = Infinity;
    this.reportsInWindow = 0;
    /** Reports are not judged until one acknowledges this seq; null when judging. */
    this.settlingUntil = null;
    this.lastHeldTicks = null;
    this.holds = 0;
    this.skips = 0;
  }

  /** One input tick: how many Inputs to send for it (1; 0 while skipping). */
  inputsDue() {
    if (this.skipping > 0) { this.skipping--; return 0; }
    return 1;
  }

  /** A Snapshot's inputBuffer, ackSeq and Own.heldTicks; `nextSeq` is the seq our next Input carries. */
  observe(inputBuffer, ackSeq, heldTicks, nextSeq) {
    const held = this.lastHeldTicks !== null && this.lastHeldTicks !== heldTicks;
    this.lastHeldTicks = heldTicks;
    if (held) {
      this.holds++;
      this.restartWindow();
      return;
    }
    if (this.settlingUntil !== null) {
      if (((ackSeq - this.settlingUntil) | 0) < 0) return;
      this.settlingUntil = null;
      this.restartWindow();
    }
    this.spare = Math.min(this.spare, inputBuffer);
    this.reportsInWindow++;
    if (this.reportsInWindow < this.reportsPerWindow) return;
    if (this.spare > 0) {
      this.skipping += this.spare;
      this.skips += this.spare;
      this.settlingUntil = nextSeq >>> 0;
    }
    this.restartWindow();
  }

  restartWindow() {
    this.spare = Infinity;
    this.reportsInWindow = 0;
  }
}

import { Limits } from '../protocol/arena.js';

export class InputSequencer {
  /**
   * @param {number} tickRate ticks per second  @param {number} [maxStallMs] longest backlog sent
   * @param {number} [snapshotInterval] ticks between Snapshots (Welcome), for the pacing window
   */
  constructor(tickRate, maxStallMs = 250, snapshotInterval = 1) {
    this.msPerTick = 1000 / tickRate;
    this.maxStallMs = maxStallMs;
    this.lastMs = null;
    this.accumulatorMs = 0;
    this.pacer = new InputPacer(tickRate / Math.max(1, snapshotInterval));
    /** Ticks skipped after long stalls. */
    this.skipped = 0;
    /** The last sequence number handed out; the first input is 1 (ackSeq 0 means "none yet"). */
    this.seq = 0;
  }

  /** Length of one input tick, ms. */
  get tickMs() { return this.msPerTick; }

  /** Number of Inputs due at `nowMs`. After a stall longer than maxStallMs the backlog is skipped. */
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
    const ticks = Math.floor(this.accumulatorMs / this.tickMs);
    this.accumulatorMs -= ticks * this.tickMs;
    let n = 0;
    for (let i = 0; i < ticks; i++) n += this.pacer.inputsDue();
    return n;
  }

  /** A Snapshot's report of our Inputs on the server (inputBuffer, ackSeq, Own.heldTicks). */
  steer(inputBuffer, ackSeq, heldTicks) {
    this.pacer.observe(inputBuffer, ackSeq, heldTicks, (this.seq + 1) >>> 0);
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
