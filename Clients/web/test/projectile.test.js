// Checks the client's projectile trigonometry against the Swift-generated table
// (Protocol/vectors/movement/projectiles/trig.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sinQ14, cosQ14, projectileVelocity, projectilePosition } from '../src/arena/projectile.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../Protocol/vectors/movement/projectiles/trig.json');
const vector = JSON.parse(readFileSync(file, 'utf8'));

test('integer trigonometry and projectile velocity match the simulation', () => {
  assert.ok(vector.rows.length > 500);
  for (const [angle, sin, cos, vx, vy] of vector.rows) {
    assert.equal(sinQ14(angle), sin, `sin ${angle}`);
    assert.equal(cosQ14(angle), cos, `cos ${angle}`);
    assert.deepEqual(projectileVelocity(angle, vector.speed), { vx, vy }, `velocity ${angle}`);
  }
});

test('a projectile moves its spawn velocity every tick', () => {
  const p = { x: 1000, y: 2000, angle: 8192, spawnTick: 10 };
  const { vx, vy } = projectileVelocity(p.angle, vector.speed);
  assert.deepEqual(projectilePosition(p, 10, vector.speed), { x: 1000, y: 2000 });
  assert.deepEqual(projectilePosition(p, 13, vector.speed), { x: 1000 + 3 * vx, y: 2000 + 3 * vy });
});
