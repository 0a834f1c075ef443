// The JSON form of values used by Protocol/vectors and tools (Protocol/README.md, section 10).
// `codec` is the Codec whose type table names the declared types.

import { isBig } from './values.js';

/** JSON form: 64-bit integers as decimal strings, bytes as arrays, absent optionals omitted. */
export function jsonFromValue(codec, t, v) {
  switch (t.k) {
    case 'uint': case 'int': case 'varuint':
      return typeof v === 'bigint' ? v.toString() : v;
    case 'bytes': return Array.from(v);
    case 'optional': return v === null || v === undefined ? undefined : jsonFromValue(codec, t.of, v);
    case 'array': return v.map((e) => jsonFromValue(codec, t.of, e));
    case 'set': return v.map((e) => ({ id: e.id, type: e.type, value: jsonFromValue(codec, { k: 'ref', name: e.type }, e.value) }));
    case 'ref': {
      const d = codec.decl(t.name);
      if (d.kind === 'enum') return v;
      const out = {};
      for (const f of d.fields) {
        const j = jsonFromValue(codec, f.type, v[f.name]);
        if (j !== undefined) out[f.name] = j;
      }
      return out;
    }
    default: return v;
  }
}

export function valueFromJSON(codec, t, j) {
  switch (t.k) {
    case 'uint': case 'int': case 'varuint':
      return isBig(t) ? BigInt(j) : Number(j);
    case 'ranged': case 'fixed': case 'angle': return Number(j);
    case 'bytes': return Uint8Array.from(j);
    case 'optional': return j === null || j === undefined ? null : valueFromJSON(codec, t.of, j);
    case 'array': return j.map((e) => valueFromJSON(codec, t.of, e));
    case 'set': return j.map((e) => ({ id: e.id, type: e.type, value: valueFromJSON(codec, { k: 'ref', name: e.type }, e.value) }));
    case 'ref': {
      const d = codec.decl(t.name);
      if (d.kind === 'enum') return j;
      const out = {};
      for (const f of d.fields) out[f.name] = valueFromJSON(codec, f.type, j[f.name]);
      return out;
    }
    default: return j;
  }
}
