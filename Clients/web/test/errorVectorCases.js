// The cases Protocol/vectors/errors/*.json are generated from: bytes every decoder must refuse,
// with the code and bit Protocol/README.md §4.5 says it reports. Each case builds its bytes with
// the plain BitWriter (no encoder rules involved) and takes the expected bit from the writer's
// position where the offending value starts, so the vectors follow the schema when it changes.
// errorVectors.test.js checks the committed files against these; regenerate them with
// `ARBITER_UPDATE_VECTORS=1 node --test Clients/web/test/errorVectors.test.js`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as arena from '../src/protocol/arena.js';
import * as conformance from './generated/conformance.js';
import { BitWriter } from '../src/protocol/bitWriter.js';

export const errorVectorDir = fileURLToPath(new URL('../../../Protocol/vectors/errors/', import.meta.url));

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const ac = arena.codec;
const cc = conformance.codec;
const fields = (mod, name) => mod.SCHEMA.types[name].fields;
const box = { size: 1, color: 'red', open: false };

/** Writes `name`'s fields at their default values up to (not including) field `until`, or all. */
function writeDefaults(codec, mod, name, until, w) {
  for (const f of fields(mod, name)) {
    if (f.name === until) return;
    codec.write(f.type, codec.zero(f.type), w);
  }
  if (until !== null) throw new Error(`${name} has no field ${until}`);
}

/** A Kick whose reason is the raw `reason` and whose detail claims `length` bytes and holds
 *  `payload`: its bytes, and where the detail's length and its payload start. */
function kick(reason, length, payload) {
  const w = start(7);
  w.write(reason, arena.SCHEMA.types.KickReason.bits);
  const lengthAt = w.bit;
  w.write(length, fields(arena, 'Kick').find((f) => f.name === 'detail').type.lenBits);
  const payloadAt = w.bit;
  for (const byte of payload) w.write(byte, 8);
  return { bytes: w.bytes(), lengthAt, payloadAt };
}

/** A message's id and, for a delta message, its full (0) or delta (1) bit. */
function start(id, deltaBit = null) {
  const w = new BitWriter();
  w.write(id, 8);
  if (deltaBit !== null) w.write(deltaBit, 1);
  return w;
}

/** A set change's header: continuation bit, VarBits slot gap (short forms), op; returns the gap's bit. */
function change(w, gap, op) {
  w.write(1, 1);
  const at = w.bit;
  if (gap < 16) {
    w.write(0, 1);
    w.write(gap, 4);
  } else {
    w.write(3, 2);
    w.write(gap, 24);
  }
  w.write(op, 2);
  return at;
}

function createBox(w, generation = 0) {
  w.write(generation, 8);
  w.write(1, 1); // Thing kind 1: Box
  cc.writeDeltaFields(fields(conformance, 'Box'), box, cc.entityZero('Box'), w, false);
}

const worldWithThings = (slots) => cc.encodeMessage('World', {
  tick: 1, count: 0, focus: cc.entityZero('Ball'), note: '', things: slots.map((id) => ({ id, type: 'Box', value: box })),
});

/** A delta World whose tick, count and focus are unchanged: the set comes next. */
const worldDeltaToSet = () => {
  const w = start(4, 1);
  w.write(0, 3);
  return w;
};

/** A full World up to its `count` (after id, full bit and tick). */
const worldToCount = () => {
  const w = start(4, 0);
  w.write(7, 32);
  return w;
};

const inputValue = { seq: 42, moveX: 0, moveY: 0, aim: 0, fire: true, secondary: false, viewTick: 0 };
const inputBits = () => {
  const w = start(4);
  writeDefaults(ac, arena, 'Input', null, w);
  return w.bit;
};

/** Every error vector: file name (without .json), and its fields. */
export function errorVectorCases() {
  const cases = [];
  const add = (file, schema, message, description, bytes, error, bit, baseline = null) => {
    const v = { bit, description, error, hex: hex(bytes), message, schema };
    if (baseline) v.baselineHex = hex(baseline);
    cases.push({ file, vector: Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) });
  };

  // ---------------------------------------------------------------- message level
  add('empty', 'arena', 'Hello', 'A message with no bytes at all', new Uint8Array(0), 'empty_message', 0);
  add('unknown-message-id', 'arena', 'Hello', 'A message whose id byte is 99', Uint8Array.of(99), 'unknown_message_id', 0);
  add('missing-baseline', 'arena', 'Snapshot', 'A delta Snapshot when the decoder holds no baseline', start(8, 1).bytes(), 'missing_baseline', 8);
  {
    const b = ac.encodeMessage('Ping', { nonce: 7, clientTime: 1700000000123n });
    add('trailing-bytes', 'arena', 'Ping', 'Ping followed by one extra byte', Uint8Array.from([...b, 0]), 'trailing_bytes', b.length * 8);
  }
  {
    const bits = inputBits();
    const last = (bits + 7 >> 3) - 1;
    const input = ac.encodeMessage('Input', inputValue);
    add('trailing-bytes-mid-byte', 'arena', 'Input',
      `Input (${bits} bits, so ${last + 1} bytes) followed by one zero byte: reported at the end of the fields, bit ${bits}`,
      Uint8Array.from([...input, 0]), 'trailing_bytes', bits);
    const both = Uint8Array.from([...input, 0]);
    both[last] |= 0x80;
    add('trailing-before-padding', 'arena', 'Input',
      `Input with padding bit ${last * 8 + 7} set and an extra byte: trailing bytes are checked first`, both, 'trailing_bytes', bits);
    const first = Uint8Array.from(input);
    first[bits >> 3] |= 1 << (bits & 7);
    add('nonzero-padding', 'arena', 'Input', `Input with its first padding bit (${bits}) set`, first, 'nonzero_padding', bits);
    const lastBit = Uint8Array.from(input);
    lastBit[last] |= 0x80;
    add('nonzero-padding-last-bit', 'arena', 'Input',
      `Input whose last padding bit (${last * 8 + 7}) is set: reported at the first non-zero padding bit`, lastBit, 'nonzero_padding', last * 8 + 7);
    const w = start(4);
    writeDefaults(ac, arena, 'Input', 'fire', w);
    const fireAt = w.bit;
    add('truncated', 'arena', 'Input', `Input cut after ${fireAt >> 3} bytes: the fire bit (${fireAt}) is missing`,
      input.slice(0, fireAt >> 3), 'truncated', fireAt);
  }

  // ---------------------------------------------------------------- values
  {
    const w = start(2);
    writeDefaults(ac, arena, 'Welcome', 'tickRate', w);
    const at = w.bit;
    w.write(127, 7);
    add('ranged-out-of-range', 'arena', 'Welcome', 'Welcome whose tickRate offset is 127 (the range 10..128 allows 0..118)', w.bytes(), 'out_of_range', at);
  }
  {
    const w = start(2, null);
    w.write(0, 1); // flag
    const at = w.bit;
    w.write(5, 3);
    add('fixed-out-of-range', 'conformance', 'Numbers', 'Numbers whose unit, fixed(0, 1, 0.25) with 4 steps, is q = 5', w.bytes(), 'out_of_range', at);
  }
  add('enum-out-of-range', 'arena', 'Kick', 'Kick whose reason is 0, which no KickReason case has', kick(0, 0, []).bytes, 'unknown_enum_value', 8);
  {
    const k = kick(1, 127, []);
    add('string-too-long', 'arena', 'Kick', 'Kick whose detail claims 127 bytes (limit 120)', k.bytes, 'too_long', k.lengthAt);
  }
  {
    const k = kick(1, 1, [0xff]);
    add('invalid-utf8', 'arena', 'Kick', 'Kick whose detail is the single byte 0xFF', k.bytes, 'invalid_utf8', k.lengthAt);
  }
  {
    const k = kick(5, 5, [0x41]);
    add('truncated-string', 'arena', 'Kick', 'Kick whose detail claims 5 bytes but only 1 follows: refused before any byte is read', k.bytes, 'truncated', k.payloadAt);
  }
  {
    const w = start(3);
    writeDefaults(ac, arena, 'MapInfo', 'walls', w);
    const at = w.bit;
    w.write(2047, 11);
    add('array-too-long', 'arena', 'MapInfo', 'MapInfo with 2047 walls (limit 1024)', w.bytes(), 'too_long', at);
  }

  // ---------------------------------------------------------------- varuint (World.count)
  const varuint = (file, groups, description, error, atGroup = 0) => {
    const w = worldToCount();
    const at = w.bit + 8 * atGroup;
    for (const g of groups) w.write(g, 8);
    add(file, 'conformance', 'World', description, w.bytes(), error, at);
  };
  varuint('varuint-zero-last-group', [0x80, 0x00], 'World whose count (varuint) is 0x80 0x00: a last group of 0 after the first', 'overlong_varint');
  varuint('varuint-too-many-groups', [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'World whose count (varuint, 32 bits) has a continuation bit in its fifth group', 'overlong_varint');
  varuint('varuint-out-of-range', [0xff, 0xff, 0xff, 0xff, 0x1f], 'World whose count (varuint) is 0xFF 0xFF 0xFF 0xFF 0x1F, 2^33 - 1: over 32 bits', 'out_of_range');
  varuint('truncated-varuint', [0x81], 'World that ends after the first group of count, whose continuation bit promises another: truncated at the missing group', 'truncated', 1);

  // ---------------------------------------------------------------- entity sets
  {
    const w = start(8, 0);
    writeDefaults(ac, arena, 'Snapshot', 'entities', w);
    change(w, 5, 1);
    w.write(1, 8);
    const at = w.bit;
    w.write(3, 2);
    add('unknown-entity-kind', 'arena', 'Snapshot', 'Full Snapshot whose set creates slot 5 with kind 3; WorldEntity has 3 members (0...2)', w.bytes(), 'unknown_entity_kind', at);
  }
  {
    const w = worldDeltaToSet();
    const at = change(w, 5, 0);
    w.write(0, 1);
    add('entity-not-in-baseline', 'conformance', 'World', 'A delta World that updates slot 5; the baseline holds slots 1 and 3', w.bytes(), 'entity_not_in_baseline', at, worldWithThings([1, 3]));
  }
  {
    const w = worldDeltaToSet();
    const at = change(w, 2, 2);
    w.write(0, 1);
    add('entity-not-in-baseline-remove', 'conformance', 'World', 'A delta World that removes slot 2; the baseline holds only slot 1', w.bytes(), 'entity_not_in_baseline', at, worldWithThings([1]));
  }
  const worldToSet = () => {
    const w = start(4, 0);
    writeDefaults(cc, conformance, 'World', 'things', w);
    return w;
  };
  {
    const w = worldToSet();
    const at = change(w, 0, 3) + 5;
    w.write(0, 1);
    add('set-op-3', 'conformance', 'World', 'World whose set holds a change with op 3 (only 0 update, 1 create, 2 remove exist)', w.bytes(), 'out_of_range', at);
  }
  {
    const w = worldToSet();
    let at = 0;
    for (let slot = 0; slot < 5; slot++) {
      at = change(w, 0, 1);
      createBox(w);
    }
    w.write(0, 1);
    add('set-too-long', 'conformance', 'World', 'Full World whose set creates 5 Boxes in slots 0...4 (limit 4): refused at the fifth change', w.bytes(), 'too_long', at);
  }
  {
    const w = worldDeltaToSet();
    change(w, 0, 1);
    createBox(w);
    w.write(0, 1);
    const at = w.bit;
    w.write(0, 1); // note unchanged
    add('set-too-long-after-end', 'conformance', 'World',
      'A delta World that creates slot 0 against a baseline holding slots 1...4: five entities, found only after the end bit',
      w.bytes(), 'too_long', at, worldWithThings([1, 2, 3, 4]));
  }
  {
    const w = worldToSet();
    change(w, 0xffffff, 1);
    createBox(w);
    const at = change(w, 0, 1);
    add('set-slot-out-of-range', 'conformance', 'World', 'World whose set creates slot 16777215, then names slot 16777216, beyond 24 bits', w.bytes(), 'out_of_range', at);
  }
  return cases;
}
