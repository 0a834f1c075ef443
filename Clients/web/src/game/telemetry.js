// The netcode's own record, for the net graph and the netcode benchmark (window.arbiter.net):
// own-ship corrections by cause and size, snapshot lateness and gaps, input→ack latency, the
// server's queue of our inputs, ticks the server held our ship, and how far behind the server
// the picture runs. Fed by ClientGame; no clock of its own (every call carries its time).

import { Samples } from '../net/netStats.js';
import { seqNotAfter } from './predictor.js';

/** Why the own ship's prediction moved on a snapshot. */
export const CorrectionCause = Object.freeze({
  /** The server disagreed and nothing the client cannot predict explains it. */
  misprediction: 'misprediction',
  /** Another ship was touching ours: the server pushed it (server-only physics). */
  contact: 'contact',
  /** The ship died since the previous snapshot (Own.alive went false): it stopped where it
   * died, which no client predicts (Protocol/README.md §5.4). */
  death: 'death',
  /** The server placed the ship (Own.teleport changed): drawn with a snap. */
  teleport: 'teleport',
});

/** Inputs remembered for their ack latency; older ones are forgotten. */
const MAX_IN_FLIGHT = 1024;
/** Corrections kept with their details (window.arbiter.corrections). */
const RECENT_CORRECTIONS = 32;

export class Telemetry {
  constructor() {
    /** cause -> { count, max, total } in world units */
    this.corrections = Object.fromEntries(Object.keys(CorrectionCause).map((c) => [c, { count: 0, max: 0, total: 0 }]));
    /** @type {{ size: number, cause: string } | null} */
    this.lastCorrection = null;
    /** @type {{ size: number, cause: string, tick: number, ackSeq: number }[]} the latest, oldest first */
    this.recentCorrections = [];
    /** Time between consecutive snapshot arrivals, ms. */
    this.snapshotGaps = new Samples();
    /** How much later than the least delayed recent arrival each snapshot came, ms. */
    this.snapshotLate = new Samples();
    /** From sending input N to the first snapshot with ackSeq ≥ N, ms. */
    this.inputAck = new Samples();
    /** How far the render tick runs behind the server's estimated newest tick, ms, per frame. */
    this.playoutLag = new Samples();
    /** Snapshot.inputBuffer as reported. */
    this.serverInputBuffer = new Samples();
    /** Ticks the server held our ship for want of an input, since join (from Own.heldTicks). */
    this.heldTicks = 0;
    this.lastHeldTicks = null;
    /** @type {[number, number][]} [seq, sent at], oldest first */
    this.inFlight = [];
    this.lastArrivalMs = null;
  }

  /**
   * The own ship's prediction moved by `size` world units for `cause` on the snapshot of `tick`
   * acknowledging `ackSeq`. Zero is no correction (but a teleport always counts).
   */
  correction(size, cause, tick = null, ackSeq = null) {
    if (!(size > 0) && cause !== CorrectionCause.teleport) return;
    const c = this.corrections[cause];
    c.count++;
    c.max = Math.max(c.max, size);
    c.total += size;
    this.lastCorrection = { size, cause };
    this.recentCorrections.push({ size, cause, tick, ackSeq });
    if (this.recentCorrections.length > RECENT_CORRECTIONS) this.recentCorrections.shift();
  }

  /** A snapshot arrived at `nowMs`, `lateMs` after an on-time one would have. */
  snapshot(nowMs, lateMs) {
    if (this.lastArrivalMs !== null) this.snapshotGaps.add(nowMs - this.lastArrivalMs);
    this.lastArrivalMs = nowMs;
    this.snapshotLate.add(lateMs);
  }

  inputSent(seq, nowMs) {
    this.inFlight.push([seq, nowMs]);
    if (this.inFlight.length > MAX_IN_FLIGHT) this.inFlight.shift();
  }

  /** A snapshot acknowledged inputs up to `ackSeq` and reported the server's view of us. */
  server(ackSeq, inputBuffer, heldTicks, nowMs) {
    while (this.inFlight.length && seqNotAfter(this.inFlight[0][0], ackSeq)) this.inputAck.add(nowMs - this.inFlight.shift()[1]);
    this.serverInputBuffer.add(inputBuffer);
    // A counter that went down belongs to a new server-side player (a failed resume): restart.
    if (this.lastHeldTicks !== null && heldTicks >= this.lastHeldTicks) this.heldTicks += heldTicks - this.lastHeldTicks;
    this.lastHeldTicks = heldTicks;
  }

  playout(lagMs) {
    if (lagMs !== null) this.playoutLag.add(lagMs);
  }

  /** Flat figures (see Clients/web/README.md, "Telemetry"). */
  figures() {
    const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
    const c = this.corrections;
    const count = Object.values(c).reduce((n, k) => n + k.count, 0);
    return {
      corrections: count,
      correctionsMisprediction: c.misprediction.count,
      correctionsContact: c.contact.count,
      correctionsTeleport: c.teleport.count,
      correctionsDeath: c.death.count,
      correctionMaxMisprediction: c.misprediction.max,
      correctionMaxContact: c.contact.max,
      correctionLast: this.lastCorrection ? this.lastCorrection.size : 0,
      correctionLastCause: this.lastCorrection ? this.lastCorrection.cause : null,
      playoutLagMs: round(this.playoutLag.last),
      playoutLagP50Ms: round(this.playoutLag.p50),
      playoutLagMaxMs: round(this.playoutLag.max),
      snapshotLateMs: round(this.snapshotLate.last),
      snapshotLateP50Ms: round(this.snapshotLate.p50),
      snapshotLateMaxMs: round(this.snapshotLate.max),
      snapshotGapMaxMs: round(this.snapshotGaps.max),
      snapshotGapP50Ms: round(this.snapshotGaps.p50),
      inputAckMs: round(this.inputAck.last),
      inputAckP50Ms: round(this.inputAck.p50),
      inputAckMaxMs: round(this.inputAck.max),
      serverInputBuffer: this.serverInputBuffer.last,
      serverInputBufferP50: this.serverInputBuffer.p50,
      heldTicks: this.heldTicks,
    };
  }
}
