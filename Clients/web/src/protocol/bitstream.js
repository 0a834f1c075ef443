// Arbiter wire runtime for JavaScript: the bit writer and reader, and a codec that encodes and
// decodes by walking the type table a generated module (e.g. ./arena.js) exports.
// Protocol/README.md is the normative description of every rule implemented here; the Swift
// runtime (Sources/ArbiterProtocol) implements the same rules and the golden vectors in
// Protocol/vectors prove the two agree. No dependencies: browsers and Node 20 alike.

const TWO_PI = Math.PI * 2;

/** A wire error: what went wrong and at which bit of the message. */
export class WireError extends Error {
  constructor(code, message, bit) {
    super(`${message} at bit ${bit}`);
    this.name = 'WireError';
    this.code = code;
    this.bit = bit;
  }
}

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

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Round half away from zero of (v - min) / step, clamped to 0..steps. */
export function quantizeFixed(v, t, bit = 0) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireError('not_a_number', 'value is not a finite number', bit);
  const x = (v - t.min) / t.step;
  if (!(x > 0)) return 0;
  if (x >= t.steps) return t.steps;
  return Math.min(Math.round(x), t.steps);
}

export function quantizeAngle(v, bits, bit = 0) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireError('not_a_number', 'value is not a finite number', bit);
  let x = v / TWO_PI;
  x -= Math.floor(x);
  const scale = 2 ** bits;
  const q = Math.round(x * scale);
  return q >= scale ? 0 : q;
}

const isBig = (t) => (t.k === 'uint' || t.k === 'int') ? t.bits > 32 : t.k === 'varuint' && t.width === 64;

/** Structural equality of decoded values (Uint8Array and BigInt aware). */
export function valuesEqual(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!valuesEqual(a[k], b[k])) return false;
  return true;
}

/** Encodes and decodes values of one schema by walking its type table. */
export class Codec {
  constructor(schema) {
    this.schema = schema;
    this.types = schema.types;
    this.messagesById = new Map();
    for (const [name, decl] of Object.entries(schema.types)) {
      if (decl.kind === 'message') this.messagesById.set(decl.id, name);
    }
    this.writer = new BitWriter();
  }

  decl(name) {
    const d = this.types[name];
    if (!d) throw new TypeError(`unknown type ${name}`);
    return d;
  }

  // ---------------------------------------------------------------- messages

  encodeMessage(name, value, baseline = null) {
    const decl = this.decl(name);
    if (decl.kind !== 'message') throw new TypeError(`${name} is not a message`);
    const w = this.writer;
    w.reset();
    w.write(decl.id, 8);
    if (decl.delta) {
      w.write(baseline ? 1 : 0, 1);
      if (baseline) this.writeDeltaFields(decl.fields, value, baseline, w, true);
      else this.writeFields(decl.fields, value, w);
    } else {
      this.writeFields(decl.fields, value, w);
    }
    return w.bytes().slice();
  }

  /** @param baselines Map from delta message name to the last value decoded; updated on success. */
  decodeMessage(bytes, baselines = new Map()) {
    const r = new BitReader(bytes);
    if (r.length === 0) throw new WireError('empty_message', 'empty message', 0);
    const id = r.read(8);
    const name = this.messagesById.get(id);
    if (name === undefined) throw new WireError('unknown_message_id', `unknown message id ${id}`, 0);
    const decl = this.types[name];
    let value;
    if (decl.delta) {
      const at = r.bit;
      if (r.read(1)) {
        const base = baselines.get(name);
        if (!base) throw new WireError('missing_baseline', 'delta against a baseline the decoder does not have', at);
        value = this.readDeltaFields(decl.fields, base, r, true);
      } else {
        value = this.readFields(decl.fields, r);
      }
    } else {
      value = this.readFields(decl.fields, r);
    }
    r.finish();
    if (decl.delta) baselines.set(name, value);
    return { name, value };
  }

  // ---------------------------------------------------------------- full encoding

  writeFields(fields, value, w) {
    for (const f of fields) this.write(f.type, value[f.name], w);
  }

  readFields(fields, r) {
    const out = {};
    for (const f of fields) out[f.name] = this.read(f.type, r);
    return out;
  }

  range(ok, v, w) {
    if (!ok) throw new WireError('out_of_range', `value ${v} out of range`, w.bit);
  }

  write(t, v, w) {
    switch (t.k) {
      case 'bool':
        w.write(v ? 1 : 0, 1);
        return;
      case 'uint':
        if (t.bits > 32) {
          const b = BigInt(v);
          this.range(b >= 0n && b < 1n << BigInt(t.bits), v, w);
          w.writeBig(b, t.bits);
        } else {
          this.range(Number.isInteger(v) && v >= 0 && v < 2 ** t.bits, v, w);
          w.write(v, t.bits);
        }
        return;
      case 'int':
        if (t.bits > 32) {
          const b = BigInt(v), half = 1n << BigInt(t.bits - 1);
          this.range(b >= -half && b < half, v, w);
          w.writeBig(BigInt.asUintN(t.bits, b), t.bits);
        } else {
          const half = 2 ** (t.bits - 1);
          this.range(Number.isInteger(v) && v >= -half && v < half, v, w);
          w.write(v < 0 ? v + 2 ** t.bits : v, t.bits);
        }
        return;
      case 'ranged':
        this.range(Number.isInteger(v) && v >= t.min && v <= t.max, v, w);
        this.writeWide(v - t.min, t.bits, w);
        return;
      case 'fixed':
        this.writeWide(quantizeFixed(v, t, w.bit), t.bits, w);
        return;
      case 'angle':
        w.write(quantizeAngle(v, t.bits, w.bit), t.bits);
        return;
      case 'varuint': {
        let b = BigInt(v);
        this.range(b >= 0n && b < 1n << BigInt(t.width), v, w);
        do {
          let group = Number(b & 0x7fn);
          b >>= 7n;
          if (b !== 0n) group |= 0x80;
          w.write(group, 8);
        } while (b !== 0n);
        return;
      }
      case 'string': {
        const bytes = utf8Encoder.encode(v);
        if (bytes.length > t.max) throw new WireError('too_long', `length ${bytes.length} over the limit of ${t.max}`, w.bit);
        w.write(bytes.length, t.lenBits);
        for (const byte of bytes) w.write(byte, 8);
        return;
      }
      case 'bytes':
        if (v.length > t.max) throw new WireError('too_long', `length ${v.length} over the limit of ${t.max}`, w.bit);
        w.write(v.length, t.lenBits);
        for (const byte of v) w.write(byte, 8);
        return;
      case 'optional':
        if (v === null || v === undefined) {
          w.write(0, 1);
        } else {
          w.write(1, 1);
          this.write(t.of, v, w);
        }
        return;
      case 'array':
        if (v.length > t.max) throw new WireError('too_long', `length ${v.length} over the limit of ${t.max}`, w.bit);
        w.write(v.length, t.lenBits);
        for (const e of v) this.write(t.of, e, w);
        return;
      case 'set':
        this.writeSet(t, v, [], w);
        return;
      case 'ref': {
        const d = this.decl(t.name);
        if (d.kind === 'enum') {
          const raw = d.cases[v];
          if (raw === undefined) throw new WireError('unknown_enum_value', `unknown ${t.name} '${v}'`, w.bit);
          w.write(raw, d.bits);
        } else {
          this.writeFields(d.fields, v, w);
        }
        return;
      }
      default:
        throw new TypeError(`unknown kind ${t.k}`);
    }
  }

  /** Writes a non-negative integer of up to 53 bits. */
  writeWide(v, bits, w) {
    if (bits <= 32) w.write(v, bits);
    else {
      w.write(v % 2 ** 32, 32);
      w.write(Math.floor(v / 2 ** 32), bits - 32);
    }
  }

  readWide(bits, r) {
    if (bits <= 32) return r.read(bits);
    const lo = r.read(32);
    return lo + r.read(bits - 32) * 2 ** 32;
  }

  read(t, r) {
    const at = r.bit;
    switch (t.k) {
      case 'bool':
        return r.read(1) === 1;
      case 'uint':
        return t.bits > 32 ? r.readBig(t.bits) : r.read(t.bits);
      case 'int':
        if (t.bits > 32) return BigInt.asIntN(t.bits, r.readBig(t.bits));
        {
          const raw = r.read(t.bits);
          return raw >= 2 ** (t.bits - 1) ? raw - 2 ** t.bits : raw;
        }
      case 'ranged': {
        const raw = this.readWide(t.bits, r);
        if (raw > t.max - t.min) throw new WireError('out_of_range', `value ${raw} out of range`, at);
        return t.min + raw;
      }
      case 'fixed': {
        const q = this.readWide(t.bits, r);
        if (q > t.steps) throw new WireError('out_of_range', `value ${q} out of range`, at);
        return t.min + q * t.step;
      }
      case 'angle':
        return (r.read(t.bits) * TWO_PI) / 2 ** t.bits;
      case 'varuint': {
        let value = 0n;
        for (let shift = 0; shift < t.width; shift += 7) {
          const group = r.read(8);
          const chunk = BigInt(group & 0x7f);
          if (shift + 7 > t.width && chunk >> BigInt(t.width - shift) !== 0n) throw new WireError('out_of_range', `value ${chunk} out of range`, at);
          value |= chunk << BigInt(shift);
          if ((group & 0x80) === 0) {
            if (shift > 0 && chunk === 0n) throw new WireError('overlong_varint', 'varuint too long for its width', at);
            return t.width === 64 ? value : Number(value);
          }
        }
        throw new WireError('overlong_varint', 'varuint too long for its width', at);
      }
      case 'string': {
        const bytes = this.readByteString(t, r);
        try {
          return utf8Decoder.decode(bytes);
        } catch {
          throw new WireError('invalid_utf8', 'invalid UTF-8', at);
        }
      }
      case 'bytes':
        return this.readByteString(t, r);
      case 'optional':
        return r.read(1) ? this.read(t.of, r) : null;
      case 'array': {
        const n = this.readCount(t, r);
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.read(t.of, r);
        return out;
      }
      case 'set':
        return this.readSet(t, [], r);
      case 'ref': {
        const d = this.decl(t.name);
        if (d.kind === 'enum') {
          const raw = r.read(d.bits);
          for (const [name, value] of Object.entries(d.cases)) if (value === raw) return name;
          throw new WireError('unknown_enum_value', `unknown enum value ${raw}`, at);
        }
        return this.readFields(d.fields, r);
      }
      default:
        throw new TypeError(`unknown kind ${t.k}`);
    }
  }

  readCount(t, r) {
    const at = r.bit;
    const n = r.read(t.lenBits);
    if (n > t.max) throw new WireError('too_long', `length ${n} over the limit of ${t.max}`, at);
    return n;
  }

  readByteString(t, r) {
    const n = this.readCount(t, r);
    if (n * 8 > r.length - r.bit) throw new WireError('truncated', 'truncated message', r.bit);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = r.read(8);
    return out;
  }

  // ---------------------------------------------------------------- deltas

  /** The key two values share exactly when they encode to the same bits. */
  wireKey(t, v) {
    if (t.k === 'fixed') return quantizeFixed(v, t);
    if (t.k === 'angle') return quantizeAngle(v, t.bits);
    return null;
  }

  fieldChanged(t, v, base) {
    const key = this.wireKey(t, v);
    if (key !== null) return key !== this.wireKey(t, base);
    return !valuesEqual(v, base);
  }

  /** One changed bit per field. In a delta message, counters marked `diff` carry their
   *  difference, entity fields their own field-level delta, and sets their entity changes. */
  writeDeltaFields(fields, value, base, w, inMessage) {
    for (const f of fields) {
      const v = value[f.name], b = base[f.name], t = f.type;
      if (inMessage && t.k === 'set') {
        this.writeSet(t, v, b, w);
        continue;
      }
      if (!this.fieldChanged(t, v, b)) {
        w.write(0, 1);
        continue;
      }
      w.write(1, 1);
      if (inMessage && f.diff) {
        this.writeVarBits(this.counterDiff(t, v, b), this.counterWidth(t), w);
      } else if (inMessage && t.k === 'ref' && this.decl(t.name).kind === 'entity') {
        this.writeDeltaFields(this.decl(t.name).fields, v, b, w, false);
      } else {
        this.write(t, v, w);
      }
    }
  }

  readDeltaFields(fields, base, r, inMessage) {
    const out = {};
    for (const f of fields) {
      const t = f.type, b = base[f.name];
      if (inMessage && t.k === 'set') {
        out[f.name] = this.readSet(t, b, r);
      } else if (!r.read(1)) {
        out[f.name] = b;
      } else if (inMessage && f.diff) {
        const width = this.counterWidth(t);
        const d = this.readVarBits(width, r);
        out[f.name] = isBig(t) ? BigInt.asUintN(64, BigInt(b) + d) : Number(BigInt.asUintN(width, BigInt(b) + d));
      } else if (inMessage && t.k === 'ref' && this.decl(t.name).kind === 'entity') {
        out[f.name] = this.readDeltaFields(this.decl(t.name).fields, b, r, false);
      } else {
        out[f.name] = this.read(t, r);
      }
    }
    return out;
  }

  counterWidth(t) {
    return t.k === 'varuint' ? t.width : t.bits;
  }

  counterDiff(t, v, b) {
    return BigInt.asUintN(this.counterWidth(t), BigInt(v) - BigInt(b));
  }

  /** `0`+4 bits, `10`+8 bits or `11`+width bits; `d` is a BigInt. */
  writeVarBits(d, width, w) {
    if (d < 16n) {
      w.write(0, 1);
      w.write(Number(d), 4);
    } else if (d < 256n) {
      w.write(1, 1);
      w.write(0, 1);
      w.write(Number(d), 8);
    } else {
      w.write(1, 1);
      w.write(1, 1);
      w.writeBig(d, width);
    }
  }

  readVarBits(width, r) {
    if (r.read(1) === 0) return BigInt(r.read(4));
    if (r.read(1) === 0) return BigInt(r.read(8));
    return r.readBig(width);
  }

  entityZero(name) {
    const d = this.decl(name);
    const out = {};
    for (const f of d.fields) out[f.name] = this.zero(f.type);
    return out;
  }

  /** The default value of a type: what a created entity is a delta against. */
  zero(t) {
    switch (t.k) {
      case 'bool': return false;
      case 'uint': case 'int': return t.bits > 32 ? 0n : 0;
      case 'varuint': return t.width === 64 ? 0n : 0;
      case 'ranged': return Math.max(t.min, Math.min(t.max, 0));
      case 'fixed': return t.min + quantizeFixed(0, t) * t.step;
      case 'angle': return 0;
      case 'string': return '';
      case 'bytes': return new Uint8Array(0);
      case 'optional': return null;
      case 'array': case 'set': return [];
      case 'ref': {
        const d = this.decl(t.name);
        if (d.kind === 'enum') {
          let best = null;
          for (const [name, value] of Object.entries(d.cases)) if (best === null || value < d.cases[best]) best = name;
          return best;
        }
        return this.entityZero(t.name);
      }
      default: throw new TypeError(`unknown kind ${t.k}`);
    }
  }

  writeSet(t, current, baseline, w) {
    if (current.length > t.max) throw new WireError('too_long', `length ${current.length} over the limit of ${t.max}`, w.bit);
    const union = this.decl(t.union);
    const slot = (e) => e.id & 0xffffff;
    let i = 0, j = 0, previous = -1;
    const header = (s, op) => {
      w.write(1, 1);
      this.writeVarBits(BigInt(s - previous - 1), 24, w);
      w.write(op, 2);
      previous = s;
    };
    const create = (e) => {
      const kind = union.members.indexOf(e.type);
      if (kind < 0) throw new WireError('unknown_entity_kind', `unknown entity type ${e.type}`, w.bit);
      w.write(e.id >>> 24, 8);
      w.write(kind, union.bits);
      this.writeDeltaFields(this.decl(e.type).fields, e.value, this.entityZero(e.type), w, false);
    };
    while (i < current.length || j < baseline.length) {
      if (i > 0 && i < current.length && slot(current[i]) <= slot(current[i - 1])) {
        throw new WireError('unsorted_entity_set', 'entity set not sorted by slot index', w.bit);
      }
      const cs = i < current.length ? slot(current[i]) : Infinity;
      const bs = j < baseline.length ? slot(baseline[j]) : Infinity;
      if (cs < bs) {
        header(cs, 1);
        create(current[i++]);
      } else if (bs < cs) {
        header(bs, 2);
        j++;
      } else {
        const c = current[i++], b = baseline[j++];
        if (c.id !== b.id || c.type !== b.type) {
          header(cs, 1);
          create(c);
        } else if (!valuesEqual(c.value, b.value)) {
          header(cs, 0);
          this.writeDeltaFields(this.decl(c.type).fields, c.value, b.value, w, false);
        }
      }
    }
    w.write(0, 1);
  }

  readSet(t, baseline, r) {
    const union = this.decl(t.union);
    const out = [];
    let j = 0, previous = -1;
    while (r.read(1)) {
      const at = r.bit;
      const s = previous + 1 + Number(this.readVarBits(24, r));
      if (s > 0xffffff) throw new WireError('out_of_range', `value ${s} out of range`, at);
      previous = s;
      while (j < baseline.length && (baseline[j].id & 0xffffff) < s) out.push(baseline[j++]);
      let existing = null;
      if (j < baseline.length && (baseline[j].id & 0xffffff) === s) existing = baseline[j++];
      const opAt = r.bit;
      const op = r.read(2);
      if (op === 0) {
        if (!existing) throw new WireError('entity_not_in_baseline', `entity slot ${s} is not in the baseline`, at);
        out.push({ id: existing.id, type: existing.type, value: this.readDeltaFields(this.decl(existing.type).fields, existing.value, r, false) });
      } else if (op === 1) {
        const generation = r.read(8);
        const kindAt = r.bit;
        const kind = r.read(union.bits);
        if (kind >= union.members.length) throw new WireError('unknown_entity_kind', `unknown entity kind ${kind}`, kindAt);
        const type = union.members[kind];
        const value = this.readDeltaFields(this.decl(type).fields, this.entityZero(type), r, false);
        out.push({ id: generation * 0x1000000 + s, type, value });
      } else if (op === 2) {
        if (!existing) throw new WireError('entity_not_in_baseline', `entity slot ${s} is not in the baseline`, at);
      } else {
        throw new WireError('out_of_range', `value ${op} out of range`, opAt);
      }
      if (out.length > t.max) throw new WireError('too_long', `length ${out.length} over the limit of ${t.max}`, at);
    }
    while (j < baseline.length) out.push(baseline[j++]);
    if (out.length > t.max) throw new WireError('too_long', `length ${out.length} over the limit of ${t.max}`, r.bit);
    return out;
  }

  // ---------------------------------------------------------------- JSON form (vectors, tools)

  /** JSON form: 64-bit integers as decimal strings, bytes as arrays, absent optionals omitted. */
  toJSON(t, v) {
    switch (t.k) {
      case 'uint': case 'int': case 'varuint':
        return typeof v === 'bigint' ? v.toString() : v;
      case 'bytes': return Array.from(v);
      case 'optional': return v === null || v === undefined ? undefined : this.toJSON(t.of, v);
      case 'array': return v.map((e) => this.toJSON(t.of, e));
      case 'set': return v.map((e) => ({ id: e.id, type: e.type, value: this.toJSON({ k: 'ref', name: e.type }, e.value) }));
      case 'ref': {
        const d = this.decl(t.name);
        if (d.kind === 'enum') return v;
        const out = {};
        for (const f of d.fields) {
          const j = this.toJSON(f.type, v[f.name]);
          if (j !== undefined) out[f.name] = j;
        }
        return out;
      }
      default: return v;
    }
  }

  fromJSON(t, j) {
    switch (t.k) {
      case 'uint': case 'int': case 'varuint':
        return isBig(t) ? BigInt(j) : Number(j);
      case 'ranged': case 'fixed': case 'angle': return Number(j);
      case 'bytes': return Uint8Array.from(j);
      case 'optional': return j === null || j === undefined ? null : this.fromJSON(t.of, j);
      case 'array': return j.map((e) => this.fromJSON(t.of, e));
      case 'set': return j.map((e) => ({ id: e.id, type: e.type, value: this.fromJSON({ k: 'ref', name: e.type }, e.value) }));
      case 'ref': {
        const d = this.decl(t.name);
        if (d.kind === 'enum') return j;
        const out = {};
        for (const f of d.fields) out[f.name] = this.fromJSON(f.type, j[f.name]);
        return out;
      }
      default: return j;
    }
  }
}
