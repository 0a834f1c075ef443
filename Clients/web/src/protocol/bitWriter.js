// Writes the bit stream of Protocol/README.md, section 2: values LSB-first, zero-padded to a byte.

/** Packs values LSB-first into a growable buffer that is reused between messages. */
export class BitWriter {
  constructor(capacity = 1536) {
    this.buf = new Uint8Array(capacity);
    this.bit = 0;
  }

  reset() {
    this.buf.fill(0, 0, (this.bit + 7) >> 3);
    this.bit = 0;
  }

  ensure(bits) {
    const need = (this.bit + bits + 7) >> 3;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }

  /** Writes the low `bits` (0..32) bits of a non-negative integer Number. */
  write(value, bits) {
    if (bits === 0) return;
    this.ensure(bits);
    const buf = this.buf;
    let pos = this.bit;
    let got = 0;
    while (got < bits) {
      const off = pos & 7;
      const take = Math.min(8 - off, bits - got);
      const chunk = Math.floor(value / 2 ** got) & ((1 << take) - 1);
      buf[pos >> 3] |= chunk << off;
      got += take;
      pos += take;
    }
    this.bit = pos;
  }

  /** Writes the low `bits` (0..64) bits of a BigInt. */
  writeBig(value, bits) {
    const v = BigInt.asUintN(64, value);
    this.write(Number(v & 0xffffffffn), Math.min(bits, 32));
    if (bits > 32) this.write(Number((v >> 32n) & 0xffffffffn), bits - 32);
  }

  /** The finished message: a view of the bytes written, zero-padded to a whole byte. */
  bytes() {
    return this.buf.subarray(0, (this.bit + 7) >> 3);
  }
}
