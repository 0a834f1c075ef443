// DEVELOPMENT STAND-IN for the generated codec (src/protocol/arena.js), served by fakeServer.js
// only: JSON instead of the real bit-packed wire format, same API. Never used by the real client.

export const PROTOCOL_VERSION = 1;
export const SCHEMA_HASH = '9c01'.padEnd(64, '0');
export const SCHEMA_HASH_BYTES = new Uint8Array(32).map((_, i) => parseInt(SCHEMA_HASH.slice(i * 2, i * 2 + 2), 16));

const replacer = (_, v) => (typeof v === 'bigint' ? { $big: v.toString() } : v instanceof Uint8Array ? { $bytes: [...v] } : v);
const reviver = (_, v) => (v && typeof v === 'object' && '$big' in v ? BigInt(v.$big) : v && typeof v === 'object' && '$bytes' in v ? new Uint8Array(v.$bytes) : v);

export function encodeMessage(name, value) {
  return new TextEncoder().encode(JSON.stringify({ name, value }, replacer));
}

export class MessageDecoder {
  decode(u8) {
    const { name, value } = JSON.parse(new TextDecoder().decode(u8), reviver);
    return { name, value };
  }
}
