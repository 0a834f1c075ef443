// Why the server refused or dropped us, in words, and whether trying again makes sense.
// Kick (sent just before the close) is the primary source; the close code is the fallback
// for when the Kick never arrived.

/** @typedef {'resume' | 'fresh' | 'none'} Retry */
/** @typedef {{ message: string, retry: Retry }} Disposition */

/** The server's application close codes (Protocol/README.md, section 8) and their Kick reasons. */
export const CLOSE_CODE_REASONS = Object.freeze({
  4000: 'protocolMismatch', 4001: 'roomFull', 4002: 'badName', 4003: 'handshakeTimeout',
  4004: 'kicked', 4005: 'slowClient', 4006: 'unknownRoom',
});

/** A hash shortened the way people compare them: the first four hex digits and an ellipsis. */
export function shortHash(hex) {
  return hex ? `${hex.slice(0, 4).toLowerCase()}…` : '?';
}

/** The text, with the server's detail in brackets unless the text already says it. */
function withDetail(text, detail) {
  return detail && !text.includes(detail) ? `${text} (${detail})` : text;
}

/**
 * @param {{ reason: string, detail?: string }} kick
 * @param {string} clientHash our SCHEMA_HASH (hex)
 * @returns {Disposition}
 */
export function describeKick(kick, clientHash) {
  const detail = (kick.detail || '').trim();
  switch (kick.reason) {
    case 'protocolMismatch': {
      const serverHash = (detail.match(/[0-9a-f]{8,}/i) || [])[0];
      const text = serverHash
        ? `protocol mismatch: server ${shortHash(serverHash)}, client ${shortHash(clientHash)}`
        : withDetail(`protocol mismatch: client ${shortHash(clientHash)}`, detail);
      return { message: `${text} — reload the page to get the current client`, retry: 'none' };
    }
    case 'roomFull': return { message: withDetail('room full: pick another room or try again later', detail), retry: 'none' };
    case 'badName': return { message: withDetail('that name is not allowed: choose another', detail), retry: 'none' };
    case 'handshakeTimeout': return { message: withDetail('the server gave up waiting for our hello', detail), retry: 'none' };
    case 'kicked': return { message: withDetail('kicked by the server', detail), retry: 'none' };
    case 'slowClient': return { message: withDetail('dropped: the connection could not keep up', detail), retry: 'resume' };
    case 'shuttingDown': return { message: withDetail('server shutting down', detail), retry: 'none' };
    case 'malformed': return { message: withDetail('the server could not read our messages', detail), retry: 'none' };
    case 'badTicket': return { message: withDetail('not admitted: the join ticket was refused; get a new one', detail), retry: 'none' };
    case 'unknownRoom': return { message: withDetail('that room does not exist (any more)', detail), retry: 'none' };
    case 'resumeFailed': return { message: withDetail('could not resume the old session: joining again', detail), retry: 'fresh' };
    default: return { message: withDetail(`disconnected by the server: ${kick.reason}`, detail), retry: 'none' };
  }
}

/**
 * For a close that came without a Kick.
 * @param {number} code
 * @param {string} reason
 * @param {string} clientHash
 * @returns {Disposition}
 */
export function describeClose(code, reason, clientHash) {
  const kickReason = CLOSE_CODE_REASONS[code];
  if (kickReason) return describeKick({ reason: kickReason, detail: reason }, clientHash);
  switch (code) {
    case 1001: return { message: withDetail('server shutting down', reason), retry: 'none' };
    case 1000: return { message: withDetail('the server closed the connection', reason), retry: 'none' };
    case 1002: case 1003: case 1007: case 1009:
      // The server could not read what we sent: the same client would fail the same way.
      return { message: withDetail('the server could not read our messages', reason), retry: 'none' };
    case 1011: case 1012: case 1013:
      return { message: withDetail('server restarting: reconnecting', reason), retry: 'resume' };
    default:
      if (code >= 4000) return { message: withDetail(`refused by the server (code ${code})`, reason), retry: 'none' };
      return { message: withDetail(`connection lost (code ${code}): reconnecting`, reason), retry: 'resume' };
  }
}

/** Backoff between reconnect attempts: 0.25 s doubling to 4 s, with no attempt after `max`. */
export function reconnectDelayMs(attempt, max = 12) {
  if (attempt >= max) return null;
  return Math.min(4000, 250 * 2 ** attempt);
}
