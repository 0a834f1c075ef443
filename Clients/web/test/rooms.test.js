import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRooms, roomHasSpace, socketUrl } from '../src/net/rooms.js';

test('parses the server\'s rooms answer and drops malformed rows', () => {
  // The shape of Sources/ArbiterServer/HTTP/RoomDirectory.swift's RoomSummary.
  const rooms = parseRooms(JSON.parse('[{"id":1,"map":"arena","players":1,"bots":4,"capacity":16,"tick":5210},'
    + '{"players":2},null,{"id":7,"players":"5","capacity":"x"}]'));
  assert.deepEqual(rooms, [
    { id: '1', map: 'arena', players: 1, bots: 4, capacity: 16, tick: 5210 },
    { id: '7', map: '', players: 5, bots: 0, capacity: 0, tick: 0 },
  ]);
});

test('survives garbage', () => {
  assert.deepEqual(parseRooms(null), []);
  assert.deepEqual(parseRooms({ rooms: 'nope' }), []);
  assert.deepEqual(parseRooms('[]'), []);
});

test('room space counts bots, and the socket url', () => {
  assert.equal(roomHasSpace({ players: 8, bots: 0, capacity: 8 }), false);
  assert.equal(roomHasSpace({ players: 4, bots: 4, capacity: 8 }), false);
  assert.equal(roomHasSpace({ players: 3, bots: 4, capacity: 8 }), true);
  assert.equal(roomHasSpace({ players: 3, bots: 4, capacity: 0 }), true);
  assert.equal(socketUrl({ protocol: 'http:', host: 'h:8080' }, null), 'ws://h:8080/play');
  assert.equal(socketUrl({ protocol: 'https:', host: 'h' }, 'a b'), 'wss://h/play?room=a%20b');
});
