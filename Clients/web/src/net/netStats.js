// The figures of the net graph: rates over the last second, ping, and what the netcode reports.

/** Sums amounts over a sliding window. */
export class RateCounter {
  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
    /** @type {[number, number][]} [time, amount] */
    this.events = [];
    this.sum = 0;
  }

  add(nowMs, amount = 1) {
    this.events.push([nowMs, amount]);
    this.sum += amount;
    this.trim(nowMs);
  }

  trim(nowMs) {
    while (this.events.length && this.events[0][0] <= nowMs - this.windowMs) this.sum -= this.events.shift()[1];
  }

  /** Amount per second at `nowMs`. */
  rate(nowMs) {
    this.trim(nowMs);
    return (this.sum * 1000) / this.windowMs;
  }
}

export class NetStats {
  constructor() {
    this.bytesIn = new RateCounter();
    this.bytesOut = new RateCounter();
    this.snapshots = new RateCounter();
    this.pingMs = null;
    this.pingSmoothMs = null;
  }

  recordPing(rttMs) {
    this.pingMs = rttMs;
    this.pingSmoothMs = this.pingSmoothMs === null ? rttMs : this.pingSmoothMs + (rttMs - this.pingSmoothMs) / 4;
  }
}
