// Encodes and decodes values of one schema by walking the type table a generated module (e.g.
// ./arena.js) exports: messages, each type's full encoding, field deltas and default values.
// Protocol/README.md is the normative description of every rule implemented here; the Swift
// runtime (Sources/ArbiterProtocol) implements the same rules and the golden vectors in
// Protocol/vectors prove the two agree. No dependencies: browsers and Node 20 alike.

import { WireError } from './wireError.js';
import { BitWriter } from './bitWriter.js';
import { BitReader } from './bitReader.js';
import { TWO_PI, quantizeFixed, quantizeAngle } from './quantize.js';
import { isBig, valuesEqual } from './values.js';
import { writeVarBits, readVarBits } from './varBits.js';
import { writeSet, readSet } from './entitySet.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

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
        writeSet(this, t, v, [], w);
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
        return readSet(this, t, [], r);
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
        writeSet(this, t, v, b, w);
        continue;
      }
      if (!this.fieldChanged(t, v, b)) {
        w.write(0, 1);
        continue;
      }
      w.write(1, 1);
      if (inMessage && f.diff) {
        writeVarBits(this.counterDiff(t, v, b), this.counterWidth(t), w);
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
        out[f.name] = readSet(this, t, b, r);
      } else if (!r.read(1)) {
        out[f.name] = b;
      } else if (inMessage && f.diff) {
        const width = this.counterWidth(t);
        const d = readVarBits(width, r);
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
}
