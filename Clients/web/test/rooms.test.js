import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRooms, roomHasSpace, socketUrl } from '../src/net/rooms.js';

test('parses the rooms answer and drops malformed rows', () => {
  const rooms = parseRooms({ rooms: [
    { id: 'r1', players: 3, capacity: 8, map: 'dust', tickRate: 60 },
    { players: 2 },
    null,
    { id: 7, players: '5', capacity: 'x' },
  ] });
  assert.deepEqual(rooms, [
    { id: 'r1', players: 3, capacity: 8, map: 'dust', tickRate: 60 },
    { id: '7', players: 5, capacity: 0, map: '', tickRate: 0 },
  ]);
});

test('accepts a bare array and survives garbage', () => {
  assert.equal(parseRooms([{ id: 'a', players: 1, capacity: 2 }]).length, 1);
  assert.deepEqual(parseRooms(null), []);
  assert.deepEqual(parseRooms({ rooms: 'nope' }), []);
});

test('room space and socket url', () => {
  assert.equal(roomHasSpace({ players: 8, capacity: 8 }), false);
  assert.equal(roomHasSpace({ players: 7, capacity: 8 }), true);
  assert.equal(socketUrl({ protocol: 'http:', host: 'h:8080' }, null), 'ws://h:8080/play');
  assert.equal(socketUrl({ protocol: 'https:', host: 'h' }, 'a b'), 'wss://h/play?room=a%20b');
});
