import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientGame } from '../src/game/clientGame.js';
import { makeStep } from '../src/game/ownMovement.js';
import { projectilePosition, inOpenSpace, binaryAngle } from '../src/game/projectiles.js';
import { stepMovement } from '../src/arena/movement.js';
import { projectileVelocity } from '../src/arena/projectile.js';
import { netGraphText } from '../src/ui/netGraph.js';
import { installDebugState } from '../src/ui/debugState.js';
import { Camera } from '../src/ui/camera.js';

// A MapInfo as the server sends it (world units; tuning and projectile speed in subunits).
const MAP = {
  name: 'm', width: 1000, height: 1000, tuning: { accel: 60, friction: 24, maxSpeed: 1100, radius: 4096 },
  projectileSpeed: 3840, projectileLifetime: 72, walls: [{ x: 600, y: 0, w: 10, h: 1000 }],
};
const WALLS_SUB = [{ x: 600 * 256, y: 0, w: 2560, h: 256000 }];

/** The server's movement from a state (subunits) over `n` ticks of the same input. */
function moved(state, n, mx, my) {
  const s = { ...state };
  for (let i = 0; i < n; i++) stepMovement(s, mx, my, MAP.tuning, 256000, 256000, WALLS_SUB);
  return s;
}
const OWN = 0x01000001;

function own(xSub, ySub) {
  return { x: xSub / 256, y: ySub / 256, vx: 0, vy: 0, health: 100, alive: true, respawnTicks: 0, cooldownTicks: 0, powerTicks: 0, kills: 0, deaths: 0, score: 0, teleport: 0, heldTicks: 0 };
}
const bot = (id, x) => ({ id, type: 'Player', value: { name: `b${id}`, x, y: 100, aim: 0, health: 80, alive: true, powered: false, teleport: 0 } });

function start() {
  const g = new ClientGame({ makeStep });
  g.onWelcome({ playerId: OWN, tickRate: 60, snapshotInterval: 3, tick: 0, room: 'r', map: 'm', resumeToken: new Uint8Array(16), resumed: false });
  g.onMapInfo(MAP);
  g.onSnapshot({ tick: 3, ackSeq: 0, inputBuffer: 0, own: own(256 * 100, 256 * 100), entities: [bot(OWN, 100), bot(2, 200)], kills: [], hits: [], scoreboard: [] }, 0);
  return g;
}

const right = () => ({ moveX: 127, moveY: 0, aim: 0, fire: false, secondary: false });

test('inputs move the own ship at once and are numbered per tick', () => {
  const g = start();
  assert.deepEqual(g.pumpInputs(0, right), []);
  const sent = g.pumpInputs(1000 / 60 * 3 + 1, right);
  assert.deepEqual(sent.map((i) => i.seq), [1, 2, 3]);
  const expected = moved({ x: 25600, y: 25600, vx: 0, vy: 0 }, 3, 127, 0);
  assert.ok(expected.x > 25600);
  assert.deepEqual(g.predictedPosition(), { x: expected.x / 256, y: 100 });
  assert.equal(g.confirmedPosition().x, 100);
});

test('a server that agrees causes no correction; one that disagrees is smoothed', () => {
  const g = start();
  g.pumpInputs(0, right);
  g.pumpInputs(1000 / 60 * 4 + 1, right);
  // The server has processed inputs 1 and 2 exactly like us.
  const origin = { x: 25600, y: 25600, vx: 0, vy: 0 };
  const after2 = moved(origin, 2, 127, 0);
  g.onSnapshot({ tick: 6, ackSeq: 2, own: { ...own(after2.x, after2.y), vx: after2.vx / 256, vy: after2.vy / 256 }, entities: [], kills: [], hits: [], scoreboard: [], inputBuffer: 2 }, 50);
  assert.equal(g.netFigures(50).corrections, 0);
  assert.equal(g.predictedPosition().x, moved(origin, 4, 127, 0).x / 256);
  // Now it says we were stopped at x = 101 after input 3: input 4 is replayed from there.
  g.onSnapshot({ tick: 9, ackSeq: 3, own: own(256 * 101, 256 * 100), entities: [], kills: [], hits: [], scoreboard: [], inputBuffer: 2 }, 100);
  assert.equal(g.netFigures(100).corrections, 1);
  assert.equal(g.netFigures(100).correctionsMisprediction, 1);
  assert.equal(g.predictedPosition().x, moved({ x: 256 * 101, y: 25600, vx: 0, vy: 0 }, 1, 127, 0).x / 256);
  const drawn = g.ownDrawPosition().x;
  assert.ok(drawn > g.predictedPosition().x, 'the drawn ship glides back rather than snapping');
});

test('the own ship is not among the interpolated players; the picture keeps moving without snapshots', () => {
  const g = start();
  g.onSnapshot({ tick: 6, ackSeq: 0, inputBuffer: 0, own: own(25600, 25600), entities: [bot(2, 230)], kills: [{ killer: 2, victim: OWN }], hits: [{ attacker: 2, target: OWN, damage: 10 }], scoreboard: [{ id: 2, name: 'b2', kills: 1, deaths: 0, score: 5 }] }, 50);
  const a = g.frame(60);
  assert.deepEqual(a.players.map((p) => p.id), [2]);
  assert.equal(a.kills[0].killer, 'b2');
  assert.equal(a.kills[0].ownInvolved, true);
  assert.equal(a.own.hit, true);
  const b = g.frame(400); // no snapshot for 350 ms
  assert.ok(b.renderTick > a.renderTick);
  assert.ok(g.netFigures(400).underruns > 0);
});

test('projectiles fly from their spawn data at MapInfo\'s speed, for its lifetime, and vanish in walls', () => {
  assert.equal(binaryAngle(Math.PI / 2), 16384);
  assert.equal(binaryAngle((65535 * Math.PI * 2) / 65536), 65535);
  const down = { x: 10, y: 20, angle: Math.PI / 2, spawnTick: 100 };
  assert.deepEqual(projectilePosition(down, 103, MAP), { x: 10, y: 20 + (3 * 3840) / 256 });
  assert.deepEqual(projectilePosition(down, 90, MAP), { x: 10, y: 20 });
  assert.deepEqual(projectilePosition(down, 100 + 72, MAP), { x: 10, y: 20 + (72 * 3840) / 256 });
  assert.equal(projectilePosition(down, 100 + 73, MAP), null);
  // Exactly the simulation's integer velocity, not floating-point trigonometry.
  const angle = (5000 * Math.PI * 2) / 65536;
  const { vx, vy } = projectileVelocity(5000, 3840);
  assert.deepEqual(projectilePosition({ x: 10, y: 20, angle, spawnTick: 0 }, 2, MAP), { x: 10 + (2 * vx) / 256, y: 20 + (2 * vy) / 256 });
  assert.equal(inOpenSpace(605, 5, MAP), false);
  assert.equal(inOpenSpace(500, 5, MAP), true);
  assert.equal(inOpenSpace(-1, 5, MAP), false);
});

test('net graph text, camera and the read-only debug state', () => {
  const g = start();
  g.frame(16);
  const text = netGraphText({ ...g.netFigures(16), pingMs: 12.34 }, 60);
  assert.match(text, /ping +12\.3 ms/);
  assert.match(text, /corrections 0 \(mispredict 0, contact 0, teleport 0\)/);
  assert.match(text, /remote freezes 0 +jumps 0/);
  assert.doesNotMatch(text, /undefined|NaN/);
  const cam = new Camera();
  cam.fit(800, 600, 300);
  cam.follow(50, 50);
  assert.deepEqual(cam.toScreen(50, 50), { x: 400, y: 300 });
  assert.deepEqual(cam.toWorld(600, 300), { x: 150, y: 50 });
  assert.equal(cam.sees(250, 50), true);
  assert.equal(cam.sees(251, 50), false);
  const state = { pos: { x: 1, y: 2 } };
  const target = {};
  installDebugState(target, { ownPosition: () => state.pos, state: () => 'playing' });
  const p = target.arbiter.ownPosition;
  assert.throws(() => { 'use strict'; p.x = 5; });
  assert.equal(state.pos.x, 1);
  assert.throws(() => { 'use strict'; target.arbiter.state = 'x'; });
});
