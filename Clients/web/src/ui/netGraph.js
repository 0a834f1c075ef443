// The net graph overlay (F3 or N): the netcode's figures as text, plus a strip of recent ping.

const fmt = (v, digits = 1) => (v === null || v === undefined ? '—' : Number(v).toFixed(digits));

export function netGraphText(n, fps) {
  return [
    `ping        ${fmt(n.pingMs)} ms`,
    `snapshots   ${fmt(n.snapshotsPerSec, 0)} /s`,
    `in / out    ${fmt(n.kbInPerSec, 2)} / ${fmt(n.kbOutPerSec, 2)} kB/s`,
    `interp      ${fmt(n.interpDelayMs)} ms  jitter ${fmt(n.jitterMs)} ms`,
    `underruns   ${n.underruns}${n.extrapolating ? '  (extrapolating)' : ''}`,
    `corrections ${n.corrections}  last ${fmt(n.correctionLast, 3)}  max ${fmt(n.correctionMax, 3)} u`,
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
