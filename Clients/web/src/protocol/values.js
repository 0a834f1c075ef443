// How the runtime holds decoded values: integers over 32 bits as BigInt, bytes as Uint8Array,
// and when two such values are equal.

/** Whether values of type `t` are BigInt (uN/iN over 32 bits, varuint64). */
export const isBig = (t) => (t.k === 'uint' || t.k === 'int') ? t.bits > 32 : t.k === 'varuint' && t.width === 64;

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
