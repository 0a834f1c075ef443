// One player's connection to the game socket: the handshake, pings, byte counts, and
// reconnecting with the resume token after a dropped connection. Message meaning is left to the
// caller (onMessage); refusals come back as words through onStatus.

import { describeKick, describeClose, reconnectDelayMs } from './refusal.js';
import { Limits } from '../protocol/arena.js';
import { truncateUTF8 } from '../protocol/limits.js';

/** The name trimmed and cut to the longest the schema allows (Hello.name), between code points. */
export function clampName(name) {
  return truncateUTF8(String(name).trim(), Limits.Hello.name);
}

/**
 * The join ticket of a page URL's fragment, `/#ticket=...` (base64url, as `arbiter-server
 * ticket` prints it), or null when there is none or it is not base64url. A fragment is never
 * sent to a server, and the ticket goes in Hello, never in the socket URL, so it lands in no
 * HTTP or proxy log.
 * @param {string} fragment e.g. location.hash
 * @returns {Uint8Array | null}
 */
export function ticketFromFragment(fragment) {
  const text = new URLSearchParams(String(fragment).replace(/^#/, '')).get('ticket');
  if (!text || !/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return null;
  const standard = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(standard + '='.repeat((4 - standard.length % 4) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * @typedef {'idle'|'connecting'|'playing'|'reconnecting'|'refused'|'closed'} ConnectionState
 */

export class Session {
  /**
   * @param {{
   *   url: string, name: string, ticket?: Uint8Array | null,
   *   codec: { encodeMessage: Function, MessageDecoder: any, PROTOCOL_VERSION: number, SCHEMA_HASH_BYTES: Uint8Array, SCHEMA_HASH: string },
   *   stats: import('./netStats.js').NetStats,
   *   WebSocketImpl?: any, now?: () => number, timers?: { setTimeout: Function, clearTimeout: Function, setInterval: Function, clearInterval: Function },
   *   onMessage: (name: string, value: any, nowMs: number) => void,
   *   onStatus: (state: ConnectionState, message: string | null) => void,
   *   pingIntervalMs?: number,
   * }} options
   */
  constructor(options) {
    this.url = options.url;
    this.name = clampName(options.name);
    /** A signed join ticket for Hello.ticket (Protocol/README.md §7.3), or null. */
    this.ticket = options.ticket ?? null;
    this.codec = options.codec;
    this.stats = options.stats;
    this.WebSocketImpl = options.WebSocketImpl || globalThis.WebSocket;
    this.now = options.now || (() => performance.now());
    this.timers = options.timers || globalThis;
    this.onMessage = options.onMessage;
    this.onStatus = options.onStatus;
    this.pingIntervalMs = options.pingIntervalMs ?? 1000;
    /** @type {ConnectionState} */
    this.state = 'idle';
    this.resumeToken = null;
    this.attempt = 0;
    this.socket = null;
    this.decoder = null;
    this.disposition = null;
    this.pingTimer = null;
    this.retryTimer = null;
    this.nonce = 0;
    this.lastError = null;
  }

  setState(state, message = null) {
    this.state = state;
    this.onStatus(state, message);
  }

  connect() {
    this.disposition = null;
    this.decoder = new this.codec.MessageDecoder();
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new this.WebSocketImpl(this.url);
    } catch (e) {
      this.lastError = String(e && e.message || e);
      this.setState('closed', `cannot connect: ${this.lastError}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => this.handleOpen();
    socket.onmessage = (event) => this.handleData(event.data);
    socket.onclose = (event) => this.handleClose(event.code, event.reason || '');
    socket.onerror = () => {}; // the close event that follows carries what we can know
  }

  handleOpen() {
    this.send('Hello', {
      protocolVersion: this.codec.PROTOCOL_VERSION,
      schemaHash: this.codec.SCHEMA_HASH_BYTES,
      name: this.name,
      resumeToken: this.resumeToken,
      ticket: this.ticket,
    });
    this.pingTimer = this.timers.setInterval(() => this.ping(), this.pingIntervalMs);
  }

  send(name, value) {
    if (!this.socket || this.socket.readyState !== 1) return false;
    const bytes = this.codec.encodeMessage(name, value);
    this.socket.send(bytes);
    this.stats.bytesOut.add(this.now(), bytes.byteLength);
    return true;
  }

  ping() {
    this.nonce = (this.nonce + 1) >>> 0;
    this.send('Ping', { nonce: this.nonce, clientTime: BigInt(Math.floor(this.now())) });
  }

  handleData(data) {
    const nowMs = this.now();
    if (typeof data === 'string') return;
    const bytes = new Uint8Array(data);
    this.stats.bytesIn.add(nowMs, bytes.byteLength);
    let message;
    try {
      message = this.decoder.decode(bytes);
    } catch (e) {
      // A delta we cannot read leaves us without a baseline: start over on a new connection.
      this.lastError = `undecodable message: ${e && e.message || e}`;
      this.disposition = { message: 'lost sync with the server: reconnecting', retry: 'resume' };
      this.socket.close(4000, 'undecodable message');
      return;
    }
    const { name, value } = message;
    if (name === 'Welcome') {
      this.resumeToken = value.resumeToken;
      this.attempt = 0;
      this.setState('playing');
    } else if (name === 'Kick') {
      this.disposition = describeKick(value, this.codec.SCHEMA_HASH);
    } else if (name === 'Pong') {
      this.stats.recordPing(nowMs - Number(value.clientTime));
    }
    this.onMessage(name, value, nowMs);
  }

  handleClose(code, reason) {
    this.timers.clearInterval(this.pingTimer);
    this.socket = null;
    if (this.state === 'closed' && this.disposition && this.disposition.retry === 'none') return; // we closed it
    const d = this.disposition || describeClose(code, reason, this.codec.SCHEMA_HASH);
    if (d.retry === 'fresh') this.resumeToken = null;
    const delay = d.retry === 'none' ? null : reconnectDelayMs(this.attempt);
    if (delay === null) {
      this.setState(d.retry === 'none' ? 'refused' : 'closed', d.retry === 'none' ? d.message : `${d.message} — gave up after ${this.attempt} attempts`);
      return;
    }
    this.attempt++;
    this.setState('reconnecting', d.message);
    this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
  }

  /** Leaves for good (no reconnect). */
  close() {
    this.timers.clearTimeout(this.retryTimer);
    this.disposition = { message: 'left', retry: 'none' };
    this.state = 'closed';
    if (this.socket) this.socket.close(1000, 'left');
  }
}
