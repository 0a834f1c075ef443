// The figures of the net graph: rates over the last second, ping, recent samples of a figure,
// and what the netcode reports.

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

/** Recent values of a figure (the last `capacity`) for its median, and its maximum ever. */
export class Samples {
  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.values = [];
    this.next = 0;
    this.last = null;
    this.max = null;
    this.count = 0;
  }

  add(value) {
    if (this.values.length < this.capacity) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    this.last = value;
    this.max = this.max === null ? value : Math.max(this.max, value);
    this.count++;
  }

  /** The q-quantile (0...1) of the recent values, null when there are none. */
  quantile(q) {
    if (!this.values.length) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  get p50() { return this.quantile(0.5); }
}
