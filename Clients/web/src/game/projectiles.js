// Projectiles never change after they are fired, so they are drawn from their spawn data alone.

/**
 * Where a projectile is at a (fractional) tick; before its spawn tick it sits at the muzzle.
 * @param {{ x: number, y: number, angle: number, spawnTick: number }} p world units, radians
 * @param {number} tick
 * @param {number} speed world units per tick
 */
export function projectilePosition(p, tick, speed) {
  const age = Math.max(0, tick - p.spawnTick);
  return { x: p.x + Math.cos(p.angle) * speed * age, y: p.y + Math.sin(p.angle) * speed * age };
}

/** Whether a point is inside the map and outside every wall (a flying projectile is drawable). */
export function inOpenSpace(x, y, map) {
  if (!map || x < 0 || y < 0 || x > map.width || y > map.height) return !map;
  for (const w of map.walls) {
    if (x >= w.x && x <= w.x + w.w && y >= w.y && y <= w.y + w.h) return false;
  }
  return true;
}
