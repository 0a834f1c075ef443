// Fitting values to the generated `Limits` of ./arena.js (Protocol/README.md, 3.1 "Generated
// limits"), so a sender never has an encoding error for a value that merely went past a bound.
// Arrays are cut by the sender with the constant (which elements to keep is its choice).

/** `value` clamped into `range` ({min, max}, as in Limits). */
export function clamp(range, value) {
  return value < range.min ? range.min : value > range.max ? range.max : value;
}

/** The longest prefix of `text` with at most `maxBytes` bytes of UTF-8, cut between code points. */
export function truncateUTF8(text, maxBytes) {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}
