// Quantization of `fixed` and `angle` values (Protocol/README.md, 4.1 and 4.2): shared by the
// encoder and the delta test of whether a field changed on the wire.

import { WireError } from './wireError.js';

export const TWO_PI = Math.PI * 2;

/** Round half away from zero of (v - min) / step, clamped to 0..steps. */
export function quantizeFixed(v, t, bit = 0) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireError('not_a_number', 'value is not a finite number', bit);
  const x = (v - t.min) / t.step;
  if (!(x > 0)) return 0;
  if (x >= t.steps) return t.steps;
  return Math.min(Math.round(x), t.steps);
}

export function quantizeAngle(v, bits, bit = 0) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireError('not_a_number', 'value is not a finite number', bit);
  let x = v / TWO_PI;
  x -= Math.floor(x);
  const scale = 2 ** bits;
  const q = Math.round(x * scale);
  return q >= scale ? 0 : q;
}
