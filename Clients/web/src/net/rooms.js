// The room list from `GET /rooms`, and the game socket's address. The JSON shape lives in
// parseRooms alone so that adapting to the server's real answer is a one-function change.

/**
 * @typedef {{ id: string, players: number, capacity: number, map: string, tickRate: number }} Room
 */

/**
 * Turns the body of `GET /rooms` into a clean list. Anything malformed is dropped rather than
 * thrown, so one odd room never hides the others from the join screen.
 * @param {unknown} json
 * @returns {Room[]}
 */
export function parseRooms(json) {
  const list = Array.isArray(json) ? json : (json && Array.isArray(json.rooms) ? json.rooms : []);
  const rooms = [];
  for (const r of list) {
    if (!r || (typeof r.id !== 'string' && typeof r.id !== 'number')) continue;
    const count = (v) => (Number.isFinite(Number(v)) ? Math.max(0, Math.floor(Number(v))) : 0);
    rooms.push({
      id: String(r.id),
      players: count(r.players),
      capacity: count(r.capacity),
      map: typeof r.map === 'string' ? r.map : '',
      tickRate: count(r.tickRate),
    });
  }
  return rooms;
}

/** A room can take one more player (an unknown capacity counts as open). */
export function roomHasSpace(room) {
  return room.capacity === 0 || room.players < room.capacity;
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
