// Client-side prediction of the own ship: every input moves it at once with the server's own
// fixed-point movement; every snapshot resets it to the server's exact state after the last
// acknowledged input and replays the inputs the server has not processed yet.

/** @typedef {{ x: number, y: number, vx: number, vy: number }} MoveState  integers in 1/256 units */
/** @typedef {{ seq: number, moveX: number, moveY: number }} MoveInput */
/** @typedef {(state: MoveState, input: MoveInput) => MoveState} StepFn */

export class Predictor {
  /**
   * @param {StepFn | null} step one tick of movement with map context bound; null follows the
   *   server only (no prediction)
   * @param {number} [maxPending] inputs kept while unacknowledged
   */
  constructor(step, maxPending = 256) {
    this.step = step;
    this.maxPending = maxPending;
    /** @type {MoveInput[]} */
    this.pending = [];
    /** @type {MoveState | null} the server's state after `ackSeq` */
    this.confirmed = null;
    /** @type {MoveState | null} */
    this.predicted = null;
    /** @type {MoveState | null} the predicted state one tick earlier, for drawing in between */
    this.previous = null;
    this.alive = true;
  }

  /** Applies one tick's input to the prediction and remembers it for replay. */
  applyInput(input) {
    this.pending.push({ seq: input.seq, moveX: input.moveX, moveY: input.moveY });
    if (this.pending.length > this.maxPending) this.pending.shift();
    if (!this.predicted) return;
    this.previous = this.predicted;
    if (this.step && this.alive) this.predicted = this.step(this.predicted, input);
  }

  /**
   * Takes the server's state after input `ackSeq` and rebuilds the prediction from it.
   * @returns {{ dx: number, dy: number }} how far the prediction moved (subunits), the correction
   */
  reconcile(state, ackSeq, alive) {
    this.alive = alive;
    while (this.pending.length && seqNotAfter(this.pending[0].seq, ackSeq)) this.pending.shift();
    this.confirmed = { x: state.x, y: state.y, vx: state.vx, vy: state.vy };
    let next = this.confirmed;
    if (this.step && alive) for (const input of this.pending) next = this.step(next, input);
    const old = this.predicted;
    this.predicted = next;
    if (!old) {
      this.previous = next;
      return { dx: 0, dy: 0 };
    }
    const dx = next.x - old.x, dy = next.y - old.y;
    // Shift the in-between state by the same amount so the drawn position does not jump; the
    // smoother shows the correction instead.
    this.previous = { ...this.previous, x: this.previous.x + dx, y: this.previous.y + dy };
    return { dx, dy };
  }
}

/** a ≤ b for u32 sequence numbers, tolerant of wrap-around. */
export function seqNotAfter(a, b) {
  return ((b - a) >>> 0) < 0x80000000;
}
