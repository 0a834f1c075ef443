// The JavaScript codec against the golden vectors and error vectors in Protocol/vectors (the
// same files the Swift tests read), plus random round trips over every type of both schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as arena from '../src/protocol/arena.js';
import * as conformance from './generated/conformance.js';
import { quantizeFixed, quantizeAngle } from '../src/protocol/quantize.js';
import { WireError } from '../src/protocol/wireError.js';

const vectorsDir = fileURLToPath(new URL('../../../Protocol/vectors/', import.meta.url));
const schemas = { arena, conformance };

// JSON.parse would round 64-bit integers; quote long integer literals first (the codec's
// fromJSON turns them into BigInt where the schema says 64 bits).
const parseVector = (text) => JSON.parse(text.replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}\n])/g, '$1"$2"'));
const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const bytesToHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const normalize = (v) => JSON.parse(JSON.stringify(v)); // drops undefined keys

function decodeWith(mod, name, bytes, baseline) {
  const baselines = new Map();
  if (baseline) baselines.set(name, baseline);
  return mod.codec.decodeMessage(bytes, baselines);
}

for (const schemaName of ['arena', 'conformance']) {
  const mod = schemas[schemaName];
  const dir = vectorsDir + schemaName;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    test(`vector ${schemaName}/${file} decodes to its value and encodes to its bytes`, () => {
      const v = parseVector(readFileSync(`${dir}/${file}`, 'utf8'));
      const bytes = hexToBytes(v.hex);
      const baseline = v.baseline ? mod.fromJSON(v.message, v.baseline) : null;
      const decoded = decodeWith(mod, v.message, bytes, baseline);
      assert.equal(decoded.name, v.message);
      const value = mod.fromJSON(v.message, v.value);
      assert.deepEqual(normalize(mod.toJSON(v.message, decoded.value)), normalize(mod.toJSON(v.message, value)));
      assert.equal(bytesToHex(mod.encodeMessage(v.message, value, baseline)), v.hex);
      if (v.input) assert.equal(bytesToHex(mod.encodeMessage(v.message, mod.fromJSON(v.message, v.input), baseline)), v.hex);
    });
  }
}

for (const file of readdirSync(vectorsDir + 'errors').filter((f) => f.endsWith('.json'))) {
  test(`error vector ${file} is refused with its code and bit`, () => {
    const v = JSON.parse(readFileSync(`${vectorsDir}errors/${file}`, 'utf8'));
    const mod = schemas[v.schema];
    const baseline = v.baselineHex ? decodeWith(mod, v.message, hexToBytes(v.baselineHex), null).value : null;
    assert.throws(() => decodeWith(mod, v.message, hexToBytes(v.hex), baseline), (e) => {
      assert.ok(e instanceof WireError, String(e));
      assert.equal(e.code, v.error, e.message);
      assert.equal(e.bit, v.bit, e.message);
      return true;
    });
  });
}

test('the decoder honours a view\'s byteOffset and keeps delta baselines', () => {
  const full = parseVector(readFileSync(vectorsDir + 'arena/snapshot-full.json', 'utf8'));
  const idle = parseVector(readFileSync(vectorsDir + 'arena/snapshot-idle.json', 'utf8'));
  const decoder = new arena.MessageDecoder();
  for (const hex of [full.hex, idle.hex]) {
    const bytes = hexToBytes(hex);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    const view = new DataView(padded.buffer, 5, bytes.length);
    decoder.decode(view);
  }
  const again = new arena.MessageDecoder();
  assert.throws(() => again.decode(hexToBytes(idle.hex)), /baseline/);
  assert.equal(decoder.baselines.get('Snapshot').tick, idle.value.tick);
});

test('the schema hash is exported as hex and bytes', () => {
  assert.match(arena.SCHEMA_HASH, /^[0-9a-f]{64}$/);
  assert.equal(bytesToHex(arena.SCHEMA_HASH_BYTES), arena.SCHEMA_HASH);
});

// ---------------------------------------------------------------- random round trips

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPair(codec, t, rand) {
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const big = (bits) => {
    let v = 0n;
    for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(int(0, 0xffff));
    return BigInt.asUintN(bits, v);
  };
  switch (t.k) {
    case 'bool': { const b = rand() < 0.5; return [b, b]; }
    case 'uint': { const v = t.bits > 32 ? big(t.bits) : int(0, 2 ** t.bits - 1); return [v, v]; }
    case 'int': {
      if (t.bits > 32) { const v = BigInt.asIntN(t.bits, big(t.bits)); return [v, v]; }
      const v = int(-(2 ** (t.bits - 1)), 2 ** (t.bits - 1) - 1); return [v, v];
    }
    case 'ranged': { const v = Math.max(t.min, Math.min(t.max, t.min + Math.floor(rand() * (t.max - t.min + 1)))); return [v, v]; }
    case 'fixed': {
      const span = t.steps * t.step;
      const v = t.min - span * 0.1 + rand() * span * 1.2;
      return [v, t.min + quantizeFixed(v, t) * t.step];
    }
    case 'angle': { const v = -20 + rand() * 40; return [v, (quantizeAngle(v, t.bits) * Math.PI * 2) / 2 ** t.bits]; }
    case 'varuint': {
      if (t.width === 64) { const v = big(64) >> BigInt(int(0, 63)); return [v, v]; }
      const v = Math.floor(int(0, 0xffffffff) / 2 ** int(0, 31)); return [v, v];
    }
    case 'string': {
      const alphabet = ['a', 'Z', '0', ' ', 'é', '€', '日', '☄'];
      let s = '';
      for (;;) {
        const c = alphabet[int(0, alphabet.length - 1)];
        if (new TextEncoder().encode(s + c).length > t.max || rand() < 0.15) break;
        s += c;
      }
      return [s, s];
    }
    case 'bytes': { const b = Uint8Array.from({ length: int(0, t.max) }, () => int(0, 255)); return [b, b]; }
    case 'optional': return rand() < 0.5 ? [null, null] : randomPair(codec, t.of, rand);
    case 'array': {
      const n = int(0, Math.min(t.max, 6)), a = [], b = [];
      for (let i = 0; i < n; i++) { const [x, y] = randomPair(codec, t.of, rand); a.push(x); b.push(y); }
      return [a, b];
    }
    case 'set': {
      const members = codec.decl(t.union).members;
      const slots = [...new Set(Array.from({ length: int(0, Math.min(t.max, 6)) }, () => int(0, 40)))].sort((x, y) => x - y);
      const a = [], b = [];
      for (const slot of slots) {
        const id = int(0, 3) * 0x1000000 + slot, type = members[int(0, members.length - 1)];
        const [x, y] = randomPair(codec, { k: 'ref', name: type }, rand);
        a.push({ id, type, value: x }); b.push({ id, type, value: y });
      }
      return [a, b];
    }
    case 'ref': {
      const d = codec.decl(t.name);
      if (d.kind === 'enum') { const names = Object.keys(d.cases); const c = names[int(0, names.length - 1)]; return [c, c]; }
      const a = {}, b = {};
      for (const f of d.fields) { const [x, y] = randomPair(codec, f.type, rand); a[f.name] = x; b[f.name] = y; }
      return [a, b];
    }
    default: throw new TypeError(t.k);
  }
}

for (const [schemaName, mod] of Object.entries(schemas)) {
  test(`random values of every ${schemaName} message round-trip after quantization`, () => {
    const rand = rng(0xa5a50001);
    for (const [name, decl] of Object.entries(mod.SCHEMA.types)) {
      if (decl.kind !== 'message') continue;
      for (let i = 0; i < 150; i++) {
        const [input, expected] = randomPair(mod.codec, { k: 'ref', name }, rand);
        let baseline = null;
        if (decl.delta) {
          baseline = randomPair(mod.codec, { k: 'ref', name }, rand)[1];
          for (const f of decl.fields) if (rand() < 0.5) { input[f.name] = baseline[f.name]; expected[f.name] = baseline[f.name]; }
        }
        const bytes = mod.encodeMessage(name, input, baseline);
        const got = decodeWith(mod, name, bytes, baseline).value;
        assert.deepEqual(normalize(mod.toJSON(name, got)), normalize(mod.toJSON(name, expected)), name);
        assert.equal(bytesToHex(mod.encodeMessage(name, got, baseline)), bytesToHex(bytes), `${name} re-encodes`);
      }
    }
  });
}
