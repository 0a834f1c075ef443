import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session, clampName } from '../src/net/session.js';
import { NetStats } from '../src/net/netStats.js';

/** A codec stand-in: messages travel as JSON, which is all the session needs to be tested. */
const codec = {
  PROTOCOL_VERSION: 1,
  SCHEMA_HASH: '9c01'.padEnd(64, '0'),
  SCHEMA_HASH_BYTES: new Uint8Array(32),
  encodeMessage: (name, value) => new TextEncoder().encode(JSON.stringify({ name, value }, (_, v) => (typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? [...v] : v))),
  MessageDecoder: class { decode(u8) { const m = JSON.parse(new TextDecoder().decode(u8)); if (m.name === 'Pong') m.value.clientTime = BigInt(m.value.clientTime); return m; } },
};

function harness() {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.readyState = 0; this.sent = []; sockets.push(this); }
    send(bytes) { this.sent.push(JSON.parse(new TextDecoder().decode(bytes))); }
    close(code, reason) { this.readyState = 3; this.onclose({ code, reason }); }
    open() { this.readyState = 1; this.onopen(); }
    receive(name, value) { this.onmessage({ data: codec.encodeMessage(name, value).buffer }); }
    drop(code, reason = '') { this.readyState = 3; this.onclose({ code, reason }); }
  }
  const timeouts = [];
  let clock = 1000;
  const timers = {
    setTimeout: (fn, ms) => { timeouts.push({ fn, ms }); return timeouts.length; },
    clearTimeout: () => {}, setInterval: () => 1, clearInterval: () => {},
  };
  const statuses = [], messages = [];
  const stats = new NetStats();
  const session = new Session({
    url: 'ws://h/play', name: 'ann', codec, stats, WebSocketImpl: FakeSocket, timers, now: () => clock,
    onMessage: (name, value) => messages.push(name), onStatus: (state, message) => statuses.push([state, message]),
  });
  return { session, sockets, timeouts, statuses, messages, stats, advance: (ms) => { clock += ms; } };
}

const welcome = { playerId: 7, tickRate: 60, snapshotInterval: 3, tick: 0, room: 'r', map: 'm', resumeToken: [1, 2, 3], resumed: false };

test('hello on open, token kept from welcome, resume after a dropped connection', () => {
  const h = harness();
  h.session.connect();
  const s1 = h.sockets[0];
  assert.equal(s1.binaryType, 'arraybuffer');
  s1.open();
  assert.equal(s1.sent[0].name, 'Hello');
  assert.equal(s1.sent[0].value.name, 'ann');
  assert.equal(s1.sent[0].value.resumeToken, null);
  s1.receive('Welcome', welcome);
  assert.equal(h.session.state, 'playing');
  s1.drop(1006);
  assert.equal(h.session.state, 'reconnecting');
  assert.equal(h.timeouts.length, 1);
  assert.equal(h.timeouts[0].ms, 250);
  h.timeouts[0].fn();
  const s2 = h.sockets[1];
  s2.open();
  assert.deepEqual(s2.sent[0].value.resumeToken, [1, 2, 3]);
});

test('a kick is shown in words and not retried', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].receive('Kick', { reason: 'roomFull', detail: '' });
  h.sockets[0].drop(4002, 'room full');
  assert.equal(h.session.state, 'refused');
  assert.match(h.statuses.at(-1)[1], /room full/);
  assert.equal(h.timeouts.length, 0);
});

test('a failed resume joins again without the token', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].receive('Welcome', welcome);
  h.sockets[0].receive('Kick', { reason: 'resumeFailed', detail: '' });
  h.sockets[0].drop(4010);
  h.timeouts[0].fn();
  h.sockets[1].open();
  assert.equal(h.sockets[1].sent[0].value.resumeToken, null);
});

test('server shutting down without a kick is a refusal in words', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].drop(1001, '');
  assert.deepEqual(h.statuses.at(-1), ['refused', 'server shutting down']);
});

test('ping round trip and byte counts', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.session.ping();
  const ping = h.sockets[0].sent[1];
  assert.equal(ping.name, 'Ping');
  h.advance(42);
  h.sockets[0].receive('Pong', { nonce: ping.value.nonce, clientTime: ping.value.clientTime, tick: 5 });
  assert.equal(h.stats.pingMs, 42);
  assert.ok(h.stats.bytesOut.sum > 0 && h.stats.bytesIn.sum > 0);
  assert.deepEqual(h.messages, ['Pong']);
});

test('an undecodable message reconnects instead of stalling', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].onmessage({ data: new Uint8Array([0xff, 0x00]).buffer });
  assert.match(h.session.lastError, /undecodable/);
  assert.equal(h.session.state, 'reconnecting');
});

test('names are cut to 15 bytes on a character boundary', () => {
  assert.equal(clampName('  abc  '), 'abc');
  assert.equal(clampName('a'.repeat(20)), 'a'.repeat(15));
  assert.equal(clampName('ééééééééé'), 'ééééééé'); // 2 bytes each
});
