// The generated Limits are exactly the bounds the codec enforces (at a bound it encodes, one past
// it throws), and the helpers of src/protocol/limits.js fit values inside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as arena from '../src/protocol/arena.js';
import * as conformance from './generated/conformance.js';
import { clamp, truncateUTF8 } from '../src/protocol/limits.js';

const big = (t) => (t.k === 'uint' || t.k === 'int') && t.bits > 32;
const one = (t) => (big(t) ? 1n : 1);
/** Bounded types must have a Limits entry; integers of 8, 16, 32 or 64 bits are bounded by their width. */
const bounded = (t) => ['ranged', 'fixed', 'angle', 'string', 'bytes', 'array', 'set'].includes(t.k) || ((t.k === 'uint' || t.k === 'int') && ![8, 16, 32, 64].includes(t.bits));

/** [value at the bound, value one past it] for a message field's type and its Limits entry. */
function boundaryValues(codec, t, limit) {
  switch (t.k) {
    case 'ranged': case 'uint': case 'int':
      return [[limit.max, limit.max + one(t)], [limit.min, limit.min - one(t)]];
    case 'string': return [['é'.repeat(limit / 2) + 'x'.repeat(limit % 2), 'x'.repeat(limit + 1)]];
    case 'bytes': return [[new Uint8Array(limit), new Uint8Array(limit + 1)]];
    case 'array': {
      const element = codec.zero(t.of);
      return [[Array(limit).fill(element), Array(limit + 1).fill(element)]];
    }
    default: return [];
  }
}

for (const [schemaName, mod] of Object.entries({ arena, conformance })) {
  test(`${schemaName}: every message field's Limits entry is the codec's bound`, () => {
    let checked = 0;
    for (const [name, decl] of Object.entries(mod.SCHEMA.types)) {
      if (decl.kind !== 'message') continue;
      for (const f of decl.fields) {
        const type = f.type.k === 'optional' ? f.type.of : f.type;
        const limit = mod.Limits[name]?.[f.name + (type.k === 'angle' ? 'Bits' : '')];
        assert.equal(limit !== undefined, bounded(type), `${name}.${f.name}`);
        if (limit === undefined) continue;
        if (type.k === 'angle') assert.equal(limit, type.bits);
        if (type.k === 'fixed') {
          assert.deepEqual(limit, { min: type.min, max: type.min + type.steps * type.step });
          assert.equal(mod.Limits[name][f.name + 'Resolution'], type.step);
        }
        if (type.k === 'set') assert.equal(limit, type.max);
        for (const [ok, past] of boundaryValues(mod.codec, type, limit)) {
          const value = mod.codec.zero({ k: 'ref', name });
          value[f.name] = ok;
          mod.encodeMessage(name, value);
          value[f.name] = past;
          assert.throws(() => mod.encodeMessage(name, value), (e) => ['out_of_range', 'too_long'].includes(e.code), `${name}.${f.name}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 10, `only ${checked} bounds checked`);
  });
}

test('every bounded field and alias has a frozen Limits entry named as in Swift', () => {
  assert.ok(Object.isFrozen(arena.Limits) && Object.isFrozen(arena.Limits.Own) && Object.isFrozen(arena.Limits.Own.health));
  assert.deepEqual(arena.Limits.Own.health, { min: 0, max: 200 });
  assert.equal(arena.Limits.Snapshot.entities, 2048);
  assert.equal(arena.Limits.Name.maxLength, 15);
  assert.equal(arena.Limits.Player.aimBits, 8);
  assert.equal(arena.Limits.Coord.resolution, 1 / 256);
  assert.deepEqual(conformance.Limits.Integers.u33, { min: 0n, max: 2n ** 33n - 1n });
  assert.equal(conformance.Limits.Containers.maybeLabel, 8);
});

test('clamp saturates at both ends of a Limits range', () => {
  const r = arena.Limits.Input.moveX;
  assert.equal(clamp(r, 1000), r.max);
  assert.equal(clamp(r, -1000), r.min);
  assert.equal(clamp(r, 5), 5);
});

test('truncateUTF8 cuts between code points, to the longest prefix that fits', () => {
  const text = 'ab' + '🎮é'.repeat(5);
  const size = (s) => new TextEncoder().encode(s).length;
  for (let budget = 0; budget <= size(text) + 1; budget++) {
    const cut = truncateUTF8(text, budget);
    assert.ok(size(cut) <= budget && text.startsWith(cut));
    const next = [...text.slice(cut.length)][0];
    if (next) assert.ok(size(cut) + size(next) > budget, `budget ${budget}: '${cut}' is not the longest`);
    assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(cut)));
  }
  assert.equal(truncateUTF8('short', 15), 'short');
});
