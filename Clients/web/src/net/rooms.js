// The room list from `GET /rooms`, and the game socket's address.

/**
 * @typedef {{ id: string, map: string, players: number, bots: number, capacity: number, tick: number }} Room
 *   players are people; bots fill the rest of the room and count against its capacity
 */

/**
 * Turns the body of `GET /rooms` (a JSON array of `{id, map, players, bots, capacity, tick}`,
 * id a number) into a clean list. Anything malformed is dropped rather than thrown, so one odd
 * room never hides the others from the join screen.
 * @param {unknown} json
 * @returns {Room[]}
 */
export function parseRooms(json) {
  const list = Array.isArray(json) ? json : [];
  const rooms = [];
  for (const r of list) {
    if (!r || (typeof r.id !== 'string' && typeof r.id !== 'number')) continue;
    const count = (v) => (Number.isFinite(Number(v)) ? Math.max(0, Math.floor(Number(v))) : 0);
    rooms.push({
      id: String(r.id),
      map: typeof r.map === 'string' ? r.map : '',
      players: count(r.players),
      bots: count(r.bots),
      capacity: count(r.capacity),
      tick: count(r.tick),
    });
  }
  return rooms;
}

/** A room can take one more player (an unknown capacity counts as open); bots take seats too. */
export function roomHasSpace(room) {
  return room.capacity === 0 || room.players + room.bots < room.capacity;
}

/**
 * The game socket's URL on the page's own host: ws for http, wss for https.
 * @param {{ protocol: string, host: string }} location
 * @param {string | null} [roomId]
 */
export function socketUrl(location, roomId) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = roomId ? `?room=${encodeURIComponent(roomId)}` : '';
  return `${scheme}//${location.host}/play${query}`;
}

/** Fetches and parses the room list; throws with a readable message on HTTP errors. */
export async function fetchRooms(fetchImpl = fetch) {
  const response = await fetchImpl('/rooms', { cache: 'no-store' });
  if (!response.ok) throw new Error(`room list unavailable (HTTP ${response.status})`);
  return parseRooms(await response.json());
}
