// VarBits (Protocol/README.md, 4.3): the prefix code for counter differences in delta
// messages and for entity-slot gaps in sets.

/** `0`+4 bits, `10`+8 bits or `11`+width bits; `d` is a BigInt. */
export function writeVarBits(d, width, w) {
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

export function readVarBits(width, r) {
  if (r.read(1) === 0) return BigInt(r.read(4));
  if (r.read(1) === 0) return BigInt(r.read(8));
  return r.readBig(width);
}
