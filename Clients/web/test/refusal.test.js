import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKick, describeClose, reconnectDelayMs } from '../src/net/refusal.js';

const CLIENT = '9c01aa55'.repeat(8);

test('protocol mismatch names both hashes', () => {
  const d = describeKick({ reason: 'protocolMismatch', detail: 'server schema 3f2a1b2c3d4e5f60 version 1' }, CLIENT);
  assert.match(d.message, /^protocol mismatch: server 3f2a…, client 9c01…/);
  assert.equal(d.retry, 'none');
});

test('every refusal is in words', () => {
  assert.match(describeKick({ reason: 'roomFull', detail: '' }, CLIENT).message, /room full/);
  assert.match(describeKick({ reason: 'kicked', detail: 'spam' }, CLIENT).message, /kicked.*spam/);
  assert.match(describeKick({ reason: 'shuttingDown', detail: '' }, CLIENT).message, /server shutting down/);
  assert.equal(describeKick({ reason: 'resumeFailed', detail: '' }, CLIENT).retry, 'fresh');
  assert.equal(describeKick({ reason: 'slowClient', detail: '' }, CLIENT).retry, 'resume');
  const ticket = describeKick({ reason: 'badTicket', detail: 'bad ticket: expired' }, CLIENT);
  assert.match(ticket.message, /join ticket.*bad ticket: expired/);
  assert.equal(ticket.retry, 'none');
});

test('close codes without a kick', () => {
  assert.deepEqual(describeClose(1001, '', CLIENT), { message: 'server shutting down', retry: 'none' });
  assert.equal(describeClose(1006, '', CLIENT).retry, 'resume');
  // The codes of Protocol/README.md section 8, with the reason texts the server sends.
  assert.match(describeClose(4000, 'protocol mismatch: server 892223ee…, client 9c01aa55…', CLIENT).message, /^protocol mismatch: server 8922…, client 9c01…/);
  assert.equal(describeClose(4001, 'room full', CLIENT).message, 'room full: pick another room or try again later');
  assert.match(describeClose(4002, 'bad name', CLIENT).message, /name is not allowed/);
  assert.match(describeClose(4003, 'handshake timeout', CLIENT).message, /waiting for our hello/);
  assert.equal(describeClose(4004, 'kicked', CLIENT).message, 'kicked by the server');
  assert.equal(describeClose(4005, 'slow client', CLIENT).retry, 'resume');
  assert.match(describeClose(4006, 'unknown room', CLIENT).message, /room does not exist/);
  assert.equal(describeClose(1001, 'server shutting down', CLIENT).message, 'server shutting down');
  for (const code of [1002, 1003, 1007, 1009]) assert.equal(describeClose(code, 'malformed message: truncated', CLIENT).retry, 'none');
  assert.equal(describeClose(1011, 'internal error', CLIENT).retry, 'resume');
  assert.match(describeClose(4999, 'odd', CLIENT).message, /refused.*4999.*odd/);
});

test('reconnect backoff doubles, caps and gives up', () => {
  assert.equal(reconnectDelayMs(0), 250);
  assert.equal(reconnectDelayMs(1), 500);
  assert.equal(reconnectDelayMs(10), 4000);
  assert.equal(reconnectDelayMs(12), null);
});
