// Checks the browser's movement mirror against the vectors the Swift simulation generated
// (Protocol/vectors/movement/*.json): every tick of every case must match exactly. Also the
// projectile mirror against Protocol/vectors/movement/projectiles/trig.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stepMovement, isqrt } from '../src/arena/movement.js';
import { sinQ14, cosQ14, projectileVelocity, projectilePosition } from '../src/arena/projectile.js';

const vectorDir = join(dirname(fileURLToPath(import.meta.url)), '../../../Protocol/vectors/movement');
const files = readdirSync(vectorDir).filter((f) => f.endsWith('.json')).sort();

test('movement vectors exist', () => {
  assert.ok(files.length >= 6, `expected at least 6 vector files in ${vectorDir}`);
});

for (const file of files) {
  const vector = JSON.parse(readFileSync(join(vectorDir, file), 'utf8'));
  test(`movement vector ${vector.name}`, () => {
    const state = { ...vector.start };
    assert.equal(vector.inputs.length, vector.expected.length);
    vector.inputs.forEach(([mx, my], tick) => {
      stepMovement(state, mx, my, vector.tuning, vector.width, vector.height, vector.walls);
      assert.deepEqual([state.x, state.y, state.vx, state.vy], vector.expected[tick], `${file} tick ${tick + 1}`);
    });
  });
}

test('isqrt is the exact floor', () => {
  for (const n of [0, 1, 2, 3, 4, 15, 16, 17, 16129, 32258, 2 ** 31 - 1, 99999999999]) {
    const r = isqrt(n);
    assert.ok(r * r <= n && (r + 1) * (r + 1) > n, `isqrt(${n}) = ${r}`);
  }
});

const trig = JSON.parse(readFileSync(join(vectorDir, 'projectiles/trig.json'), 'utf8'));

test('integer trigonometry and projectile velocity match the simulation', () => {
  assert.ok(trig.rows.length > 500);
  for (const [angle, sin, cos, vx, vy] of trig.rows) {
    assert.equal(sinQ14(angle), sin, `sin ${angle}`);
    assert.equal(cosQ14(angle), cos, `cos ${angle}`);
    assert.deepEqual(projectileVelocity(angle, trig.speed), { vx, vy }, `velocity ${angle}`);
  }
});

test('a projectile moves its spawn velocity every tick', () => {
  const p = { x: 1000, y: 2000, angle: 8192, spawnTick: 10 };
  const { vx, vy } = projectileVelocity(p.angle, trig.speed);
  assert.deepEqual(projectilePosition(p, 10, trig.speed), { x: 1000, y: 2000 });
  assert.deepEqual(projectilePosition(p, 13, trig.speed), { x: 1000 + 3 * vx, y: 2000 + 3 * vy });
});
