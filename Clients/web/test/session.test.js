import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session, clampName, ticketFromFragment } from '../src/net/session.js';
import { NetStats } from '../src/net/netStats.js';

import * as codec from '../src/protocol/arena.js';

function harness() {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.readyState = 0; this.sent = []; this.server = new codec.MessageDecoder(); sockets.push(this); }
    /** What the server would read: the real wire bytes, decoded. */
    send(bytes) { assert.ok(bytes instanceof Uint8Array); this.sent.push(this.server.decode(bytes)); }
    close(code, reason) { this.readyState = 3; this.onclose({ code, reason }); }
    open() { this.readyState = 1; this.onopen(); }
    /** Delta messages (Snapshot) are encoded against the previous one sent, as the server does. */
    receive(name, value) {
      const baseline = name === 'Snapshot' ? this.lastSnapshot ?? null : null;
      if (name === 'Snapshot') this.lastSnapshot = value;
      this.onmessage({ data: codec.encodeMessage(name, value, baseline).buffer });
    }
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

const welcome = { playerId: 7, tickRate: 60, snapshotInterval: 3, tick: 0, room: 'r', map: 'm', resumeToken: Uint8Array.of(1, 2, 3), resumed: false };

test('hello on open, token kept from welcome, resume after a dropped connection', () => {
  const h = harness();
  h.session.connect();
  const s1 = h.sockets[0];
  assert.equal(s1.binaryType, 'arraybuffer');
  s1.open();
  assert.equal(s1.sent[0].name, 'Hello');
  assert.equal(s1.sent[0].value.name, 'ann');
  assert.equal(s1.sent[0].value.protocolVersion, codec.PROTOCOL_VERSION);
  assert.deepEqual(s1.sent[0].value.schemaHash, codec.SCHEMA_HASH_BYTES);
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
  assert.deepEqual(s2.sent[0].value.resumeToken, Uint8Array.of(1, 2, 3));
});

test('a kick is shown in words and not retried', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].receive('Kick', { reason: 'roomFull', detail: 'room full' });
  h.sockets[0].drop(4001, 'room full');
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
  assert.equal(typeof h.sockets[0].sent[1].value.clientTime, 'bigint');
  assert.equal(h.stats.pingMs, 42);
  assert.ok(h.stats.bytesOut.sum > 0 && h.stats.bytesIn.sum > 0);
  assert.deepEqual(h.messages, ['Pong']);
});

test('snapshots arrive full then as deltas on one connection, and a new connection starts over', () => {
  const h = harness();
  const got = [];
  h.session.onMessage = (name, value) => got.push([name, value]);
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].receive('Welcome', welcome);
  const own = { x: 10, y: 20, vx: 0.5, vy: -1, health: 100, alive: true, respawnTicks: 0, cooldownTicks: 0, powerTicks: 0, kills: 0, deaths: 0, score: 0, teleport: 0, heldTicks: 0 };
  const bot = { name: 'bot1', x: 30, y: 40, aim: 0, health: 100, alive: true, powered: false, teleport: 0 };
  const snap = (tick, x) => ({ tick, ackSeq: tick, inputBuffer: 0, own: { ...own, x }, entities: [{ id: 0x01000002, type: 'Player', value: { ...bot, x } }], kills: [], hits: [], scoreboard: [] });
  h.sockets[0].receive('Snapshot', snap(3, 10));
  h.sockets[0].receive('Snapshot', snap(6, 11.5));
  const snapshots = got.filter(([n]) => n === 'Snapshot').map(([, v]) => [v.tick, v.own.x, v.entities[0].value.x]);
  assert.deepEqual(snapshots, [[3, 10, 10], [6, 11.5, 11.5]]);
  h.sockets[0].drop(1006);
  h.timeouts[0].fn();
  h.sockets[1].open();
  h.sockets[1].receive('Welcome', { ...welcome, resumed: true });
  h.sockets[1].receive('Snapshot', snap(9, 12)); // full again: the decoder is per connection
  assert.equal(got.at(-1)[1].own.x, 12);
  assert.equal(h.session.state, 'playing');
});

test('an undecodable message reconnects instead of stalling', () => {
  const h = harness();
  h.session.connect();
  h.sockets[0].open();
  h.sockets[0].onmessage({ data: new Uint8Array([0xff, 0x00]).buffer });
  assert.match(h.session.lastError, /undecodable/);
  assert.equal(h.session.state, 'reconnecting');
});

test('names are trimmed and cut to Hello.name bytes between code points', () => {
  assert.equal(clampName('  abc  '), 'abc');
  assert.equal(clampName('a'.repeat(20)), 'a'.repeat(codec.Limits.Hello.name));
  assert.equal(clampName('é'.repeat(codec.Limits.Hello.name)), 'é'.repeat(Math.floor(codec.Limits.Hello.name / 2))); // 2 bytes each
});

test('the page URL fragment\'s ticket goes in Hello, decoded from base64url', () => {
  const ticket = ticketFromFragment('#ticket=AQID-_8');
  assert.deepEqual(ticket, Uint8Array.of(1, 2, 3, 0xfb, 0xff));
  assert.deepEqual(ticketFromFragment('#x=1&ticket=AQID'), Uint8Array.of(1, 2, 3));
  assert.equal(ticketFromFragment(''), null);
  assert.equal(ticketFromFragment('#ticket=not*base64'), null);
  const sockets = [];
  class FakeSocket {
    constructor() { this.readyState = 0; this.sent = []; this.server = new codec.MessageDecoder(); sockets.push(this); }
    send(bytes) { this.sent.push(this.server.decode(bytes)); }
    close() {}
  }
  const timers = { setTimeout: () => 1, clearTimeout: () => {}, setInterval: () => 1, clearInterval: () => {} };
  const session = new Session({
    url: 'ws://h/play', name: 'ann', ticket, codec, stats: new NetStats(), WebSocketImpl: FakeSocket, timers, now: () => 0,
    onMessage: () => {}, onStatus: () => {},
  });
  session.connect();
  sockets[0].readyState = 1;
  sockets[0].onopen();
  assert.equal(sockets[0].sent[0].name, 'Hello');
  assert.deepEqual(sockets[0].sent[0].value.ticket, ticket);
});
