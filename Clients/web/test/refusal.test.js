import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKick, describeClose, reconnectDelayMs, KICK_CLOSE_BASE } from '../src/net/refusal.js';

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
});

test('close codes without a kick', () => {
  assert.deepEqual(describeClose(1001, '', CLIENT), { message: 'server shutting down', retry: 'none' });
  assert.equal(describeClose(1006, '', CLIENT).retry, 'resume');
  assert.match(describeClose(KICK_CLOSE_BASE + 2, '', CLIENT).message, /room full/);
  assert.match(describeClose(4999, 'odd', CLIENT).message, /refused.*4999.*odd/);
});

test('reconnect backoff doubles, caps and gives up', () => {
  assert.equal(reconnectDelayMs(0), 250);
  assert.equal(reconnectDelayMs(1), 500);
  assert.equal(reconnectDelayMs(10), 4000);
  assert.equal(reconnectDelayMs(12), null);
});
