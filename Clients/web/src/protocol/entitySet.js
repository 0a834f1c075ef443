// Entity sets (`set<U>(MAX)`, Protocol/README.md, 6.3): per slot in order, a gap, an operation
// (update, create, remove) and the entity's field delta. A full encoding is a delta against
// the empty set. `codec` is the Codec whose type table names the union and its entities.

import { WireError } from './wireError.js';
import { valuesEqual } from './values.js';
import { writeVarBits, readVarBits } from './varBits.js';

/** Writes `current` as changes against `baseline` (both sorted by slot), then the end bit. */
export function writeSet(codec, t, current, baseline, w) {
  if (current.length > t.max) throw new WireError('too_long', `length ${current.length} over the limit of ${t.max}`, w.bit);
  const union = codec.decl(t.union);
  const slot = (e) => e.id & 0xffffff;
  let i = 0, j = 0, previous = -1;
  const header = (s, op) => {
    w.write(1, 1);
    writeVarBits(BigInt(s - previous - 1), 24, w);
    w.write(op, 2);
    previous = s;
  };
  const create = (e) => {
    const kind = union.members.indexOf(e.type);
    if (kind < 0) throw new WireError('unknown_entity_kind', `unknown entity type ${e.type}`, w.bit);
    w.write(e.id >>> 24, 8);
    w.write(kind, union.bits);
    codec.writeDeltaFields(codec.decl(e.type).fields, e.value, codec.entityZero(e.type), w, false);
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
        codec.writeDeltaFields(codec.decl(c.type).fields, c.value, b.value, w, false);
      }
    }
  }
  w.write(0, 1);
}

/** Reads the changes against `baseline` and returns the new set, sorted by slot. */
export function readSet(codec, t, baseline, r) {
  const union = codec.decl(t.union);
  const out = [];
  let j = 0, previous = -1;
  while (r.read(1)) {
    const at = r.bit;
    const s = previous + 1 + Number(readVarBits(24, r));
    if (s > 0xffffff) throw new WireError('out_of_range', `value ${s} out of range`, at);
    previous = s;
    while (j < baseline.length && (baseline[j].id & 0xffffff) < s) out.push(baseline[j++]);
    let existing = null;
    if (j < baseline.length && (baseline[j].id & 0xffffff) === s) existing = baseline[j++];
    const opAt = r.bit;
    const op = r.read(2);
    if (op === 0) {
      if (!existing) throw new WireError('entity_not_in_baseline', `entity slot ${s} is not in the baseline`, at);
      out.push({ id: existing.id, type: existing.type, value: codec.readDeltaFields(codec.decl(existing.type).fields, existing.value, r, false) });
    } else if (op === 1) {
      const generation = r.read(8);
      const kindAt = r.bit;
      const kind = r.read(union.bits);
      if (kind >= union.members.length) throw new WireError('unknown_entity_kind', `unknown entity kind ${kind}`, kindAt);
      const type = union.members[kind];
      const value = codec.readDeltaFields(codec.decl(type).fields, codec.entityZero(type), r, false);
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
