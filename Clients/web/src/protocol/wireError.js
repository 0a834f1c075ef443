// The error every part of the wire runtime throws: a code from Protocol/README.md, sections 4.5 and 8
// (`truncated`, `out_of_range`, ...), and the bit of the message where the offending value starts.

/** A wire error: what went wrong and at which bit of the message. */
export class WireError extends Error {
  constructor(code, message, bit) {
    super(`${message} at bit ${bit}`);
    this.name = 'WireError';
    this.code = code;
    this.bit = bit;
  }
}
