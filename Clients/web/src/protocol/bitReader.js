// Reads the bit stream of Protocol/README.md, section 2, refusing reads past the end and
// anything but zero padding after the message.

import { WireError } from './wireError.js';

/** Reads an LSB-first bit stream, checking every read against the end. */
export class BitReader {
  /** @param {Uint8Array|ArrayBuffer|DataView} bytes — a view's byteOffset is honoured. */
  constructor(bytes) {
    if (bytes instanceof ArrayBuffer) this.buf = new Uint8Array(bytes);
    else if (ArrayBuffer.isView(bytes)) this.buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    else throw new TypeError('BitReader needs a Uint8Array, DataView or ArrayBuffer');
    this.bit = 0;
    this.length = this.buf.length * 8;
  }

  /** Reads `bits` (0..32) bits as a non-negative Number. */
  read(bits) {
    if (bits === 0) return 0;
    if (bits > this.length - this.bit) throw new WireError('truncated', 'truncated message', this.bit);
    let result = 0;
    let got = 0;
    let pos = this.bit;
    while (got < bits) {
      const off = pos & 7;
      const take = Math.min(8 - off, bits - got);
      const chunk = (this.buf[pos >> 3] >> off) & ((1 << take) - 1);
      result += chunk * 2 ** got;
      got += take;
      pos += take;
    }
    this.bit = pos;
    return result;
  }

  readBig(bits) {
    const lo = BigInt(this.read(Math.min(bits, 32)));
    return bits > 32 ? lo | (BigInt(this.read(bits - 32)) << 32n) : lo;
  }

  /** Only zero padding may remain in the last byte, and nothing after it. */
  finish() {
    const used = (this.bit + 7) >> 3;
    if (used < this.buf.length) throw new WireError('trailing_bytes', `${this.buf.length - used} trailing byte(s) after the message`, this.bit);
    for (let pos = this.bit; pos < this.length; pos++) {
      if ((this.buf[pos >> 3] >> (pos & 7)) & 1) throw new WireError('nonzero_padding', 'non-zero padding bits', pos);
    }
  }
}
