import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Predictor, seqNotAfter } from '../src/game/predictor.js';
import { moveAxes, aimAngle } from '../src/game/inputSequencer.js';
import { makeStep, movementContext, toSubunits } from '../src/game/ownMovement.js';

/** A stand-in for the server's movement: velocity follows the input, integer subunits. */
const step = (s, i) => ({ x: s.x + s.vx, y: s.y + s.vy, vx: i.moveX * 2, vy: i.moveY * 2 });

function simulate(inputs, start) {
  let s = start;
  for (const i of inputs) s = step(s, i);
  return s;
}

test('replays unacknowledged inputs on top of the server state', () => {
  const p = new Predictor(step);
  const start = { x: 1000, y: 1000, vx: 0, vy: 0 };
  p.reconcile(start, 0, true);
  const inputs = [];
  for (let seq = 1; seq <= 10; seq++) {
    const input = { seq, moveX: seq % 3 === 0 ? -127 : 127, moveY: 40 };
    inputs.push(input);
    p.applyInput(input);
  }
  assert.deepEqual(p.predicted, simulate(inputs, start));
  // The server agrees up to input 6: no correction, 4 inputs still pending.
  const server = simulate(inputs.slice(0, 6), start);
  assert.deepEqual(p.reconcile(server, 6, true), { dx: 0, dy: 0 });
  assert.equal(p.pending.length, 4);
  assert.deepEqual(p.predicted, simulate(inputs, start));
  // The server disagrees (pushed 300 subunits): the prediction moves by exactly that.
  const pushed = { ...simulate(inputs.slice(0, 8), start) };
  pushed.x += 300;
  assert.deepEqual(p.reconcile(pushed, 8, true), { dx: 300, dy: 0 });
  assert.deepEqual(p.predicted, simulate(inputs.slice(8), pushed));
});

test('a dead ship follows the server and does not move on input', () => {
  const p = new Predictor(step);
  p.reconcile({ x: 0, y: 0, vx: 0, vy: 0 }, 0, false);
  p.applyInput({ seq: 1, moveX: 127, moveY: 0 });
  p.applyInput({ seq: 2, moveX: 127, moveY: 0 });
  assert.deepEqual(p.predicted, { x: 0, y: 0, vx: 0, vy: 0 });
});

test('without a movement module the ship follows the server', () => {
  const p = new Predictor(null);
  p.reconcile({ x: 5, y: 6, vx: 1, vy: 1 }, 0, true);
  p.applyInput({ seq: 1, moveX: 127, moveY: 0 });
  assert.deepEqual(p.predicted, { x: 5, y: 6, vx: 1, vy: 1 });
});

test('sequence comparison survives wrap-around', () => {
  assert.equal(seqNotAfter(5, 5), true);
  assert.equal(seqNotAfter(6, 5), false);
  assert.equal(seqNotAfter(0xfffffffe, 1), true);
});

test('keys and mouse to input values', () => {
  assert.deepEqual(moveAxes(false, true, false, false), { moveX: 127, moveY: 0 });
  assert.deepEqual(moveAxes(true, false, true, false), { moveX: -90, moveY: -90 });
  assert.deepEqual(moveAxes(true, true, false, false), { moveX: 0, moveY: 0 });
  assert.ok(Math.abs(aimAngle(0, 0, 0, 10) - Math.PI / 2) < 1e-12); // down the screen
  assert.ok(Math.abs(aimAngle(0, 0, 0, -10) - 3 * Math.PI / 2) < 1e-12);
});

test('the movement adapter converts the map to subunits exactly', () => {
  const map = { width: 100.5, height: 50, tuning: { accel: 30, friction: 10, maxSpeed: 900, radius: 4096 }, walls: [{ x: 1.00390625, y: 2, w: 3, h: 4 }] };
  const ctx = movementContext(map);
  assert.deepEqual(ctx.walls, [{ x: 257, y: 512, w: 768, h: 1024 }]);
  assert.deepEqual([ctx.width, ctx.height], [25728, 12800]);
  assert.equal(toSubunits(-0.00390625), -1);
  let seen;
  const bound = makeStep(map, (...args) => { seen = args; return args[0]; });
  const before = { x: 1, y: 2, vx: 0, vy: 0 };
  bound(before, { seq: 3, moveX: 5, moveY: -5, aim: 1, fire: true });
  assert.deepEqual(seen.slice(1), [5, -5, map.tuning, 25728, 12800, [{ x: 257, y: 512, w: 768, h: 1024 }]]);
  assert.notEqual(seen[0], before, 'the step gets a copy: movement.js mutates its state');
});

test('the bound step is the Arena movement and leaves its input state untouched', () => {
  const map = { width: 100, height: 100, tuning: { accel: 60, friction: 24, maxSpeed: 1100, radius: 4096 }, walls: [{ x: 60, y: 0, w: 4, h: 100 }] };
  const step = makeStep(map);
  const state = { x: 256 * 20, y: 256 * 50, vx: 0, vy: 0 };
  let s = state;
  for (let i = 0; i < 120; i++) s = step(s, { seq: i + 1, moveX: 127, moveY: 0 });
  assert.deepEqual(state, { x: 256 * 20, y: 256 * 50, vx: 0, vy: 0 });
  // Stopped by the wall at x = 60: the ship's box (radius 16 units) touches it, no further.
  assert.equal(s.x, 256 * 60 - 4096);
  assert.equal(s.vx, 0);
});
