// The net graph overlay (F3 or N): the netcode's figures as text, plus a strip of recent ping.

const fmt = (v, digits = 1) => (v === null || v === undefined ? '—' : Number(v).toFixed(digits));

export function netGraphText(n, fps) {
  return [
    `ping        ${fmt(n.pingMs)} ms   input→ack ${fmt(n.inputAckP50Ms, 0)} ms (max ${fmt(n.inputAckMaxMs, 0)})`,
    `snapshots   ${fmt(n.snapshotsPerSec, 0)} /s  latency ≈${fmt(n.snapshotLatencyMs, 0)} ms  late ${fmt(n.snapshotLateMs, 0)} ms  gap max ${fmt(n.snapshotGapMaxMs, 0)} ms`,
    `in / out    ${fmt(n.kbInPerSec, 2)} / ${fmt(n.kbOutPerSec, 2)} kB/s`,
    `playout     lag ${fmt(n.playoutLagMs, 0)} ms (p50 ${fmt(n.playoutLagP50Ms, 0)})  delay ${fmt(n.interpDelayMs, 0)} ms  jitter ${fmt(n.jitterMs)} ms`,
    `underruns   ${n.underruns}${n.extrapolating ? '  (extrapolating)' : ''}   remote freezes ${n.remoteFreezes}  jumps ${n.remoteJumps}`,
    `corrections ${n.corrections} (mispredict ${n.correctionsMisprediction}, contact ${n.correctionsContact}, teleport ${n.correctionsTeleport})  last ${fmt(n.correctionLast, 2)} u ${n.correctionLastCause ?? ''}`,
    `server      queue ${n.serverInputBuffer ?? '—'}  held ${n.heldTicks}  inputs −${n.inputSkips}`,
    `inputs      seq ${n.seq}  ack ${n.ackSeq}  pending ${n.pendingInputs}`,
    `tick        ${n.tick}   fps ${fmt(fps, 0)}`,
  ].join('\n');
}

export class NetGraph {
  /** @param {HTMLElement} element */
  constructor(element) {
    this.element = element;
    this.visible = false;
    this.lastDrawMs = 0;
  }

  toggle() {
    this.visible = !this.visible;
    this.element.hidden = !this.visible;
  }

  update(nowMs, figures, fps) {
    if (!this.visible || nowMs - this.lastDrawMs < 200) return;
    this.lastDrawMs = nowMs;
    this.element.textContent = netGraphText(figures, fps);
  }
}
