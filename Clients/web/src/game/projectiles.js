// Projectiles never change after they are fired, so they are drawn from their spawn data alone,
// with the Arena's own integer velocity (src/arena/projectile.js) and MapInfo's speed and lifetime.

import { projectileVelocity } from '../arena/projectile.js';
import { toSubunits, toWorld } from './ownMovement.js';

/** The wire's angle (radians, quantized to 1/65536 turn) back to the simulation's binary angle. */
export function binaryAngle(radians) {
  return Math.round((radians * 65536) / (Math.PI * 2)) & 0xffff;
}

/**
 * Where a projectile is at a (fractional) tick, in world units, or null once it has outlived
 * `lifetime` ticks. Before its spawn tick it sits at the muzzle.
 * @param {{ x: number, y: number, angle: number, spawnTick: number }} p world units, radians
 * @param {number} tick
 * @param {{ projectileSpeed: number, projectileLifetime: number }} map speed in subunits per tick
 */
export function projectilePosition(p, tick, map) {
  const age = Math.max(0, tick - p.spawnTick);
  if (age > map.projectileLifetime) return null;
  const { vx, vy } = projectileVelocity(binaryAngle(p.angle), map.projectileSpeed);
  return { x: toWorld(toSubunits(p.x) + vx * age), y: toWorld(toSubunits(p.y) + vy * age) };
}

/** Whether a point is inside the map and outside every wall (a flying projectile is drawable). */
export function inOpenSpace(x, y, map) {
  if (!map || x < 0 || y < 0 || x > map.width || y > map.height) return !map;
  for (const w of map.walls) {
    if (x >= w.x && x <= w.x + w.w && y >= w.y && y <= w.y + w.h) return false;
  }
  return true;
}
