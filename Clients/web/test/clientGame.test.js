import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientGame } from '../src/game/clientGame.js';
import { makeStep } from '../src/game/ownMovement.js';
import { projectilePosition, inOpenSpace } from '../src/game/projectiles.js';
import { netGraphText } from '../src/ui/netGraph.js';
import { installDebugState } from '../src/ui/debugState.js';
import { Camera } from '../src/ui/camera.js';

/** Stand-in movement in subunits: velocity is input * 2, position integrates it. */
const fakeMove = (s, i) => ({ x: s.x + i.moveX * 2, y: s.y + i.moveY * 2, vx: i.moveX * 2, vy: i.moveY * 2 });
const MAP = { name: 'm', width: 1000, height: 1000, tuning: { accel: 1, friction: 1, maxSpeed: 1, radius: 4096 }, walls: [{ x: 600, y: 0, w: 10, h: 1000 }] };
const OWN = 0x01000001;

function own(xSub, ySub) {
  return { x: xSub / 256, y: ySub / 256, vx: 0, vy: 0, health: 100, alive: true, respawnTicks: 0, cooldownTicks: 0, powerTicks: 0, kills: 0, deaths: 0, score: 0 };
}
const bot = (id, x) => ({ id, type: 'Player', value: { name: `b${id}`, x, y: 100, aim: 0, health: 80, alive: true, powered: false } });

function start() {
  const g = new ClientGame({ makeStep: (m) => makeStep(m, fakeMove), projectileSpeed: 10 });
  g.onWelcome({ playerId: OWN, tickRate: 60, snapshotInterval: 3, tick: 0, room: 'r', map: 'm', resumeToken: new Uint8Array(16), resumed: false });
  g.onMapInfo(MAP);
  g.onSnapshot({ tick: 3, ackSeq: 0, own: own(256 * 100, 256 * 100), entities: [bot(OWN, 100), bot(2, 200)], kills: [], hits: [], scoreboard: [] }, 0);
  return g;
}

const right = () => ({ moveX: 127, moveY: 0, aim: 0, fire: false, secondary: false });

test('inputs move the own ship at once and are numbered per tick', () => {
  const g = start();
  assert.deepEqual(g.pumpInputs(0, right), []);
  const sent = g.pumpInputs(1000 / 60 * 3 + 1, right);
  assert.deepEqual(sent.map((i) => i.seq), [1, 2, 3]);
  assert.equal(g.predictedPosition().x, 100 + (3 * 254) / 256);
  assert.equal(g.confirmedPosition().x, 100);
});

test('a server that agrees causes no correction; one that disagrees is smoothed', () => {
  const g = start();
  g.pumpInputs(0, right);
  g.pumpInputs(1000 / 60 * 4 + 1, right);
  // The server has processed inputs 1 and 2 exactly like us.
  g.onSnapshot({ tick: 6, ackSeq: 2, own: own(256 * 100 + 2 * 254, 256 * 100), entities: [], kills: [], hits: [], scoreboard: [] }, 50);
  assert.equal(g.smoother.count, 0);
  assert.equal(g.predictedPosition().x, 100 + (4 * 254) / 256);
  // Now it says we were blocked at x = 101 after input 3.
  g.onSnapshot({ tick: 9, ackSeq: 3, own: own(256 * 101, 256 * 100), entities: [], kills: [], hits: [], scoreboard: [] }, 100);
  assert.equal(g.smoother.count, 1);
  assert.equal(g.predictedPosition().x, 101 + 254 / 256);
  const drawn = g.ownDrawPosition().x;
  assert.ok(drawn > g.predictedPosition().x, 'the drawn ship glides back rather than snapping');
});

test('the own ship is not among the interpolated players; the picture keeps moving without snapshots', () => {
  const g = start();
  g.onSnapshot({ tick: 6, ackSeq: 0, own: own(25600, 25600), entities: [bot(2, 230)], kills: [{ killer: 2, victim: OWN }], hits: [{ attacker: 2, target: OWN, damage: 10 }], scoreboard: [{ id: 2, name: 'b2', kills: 1, deaths: 0, score: 5 }] }, 50);
  const a = g.frame(60);
  assert.deepEqual(a.players.map((p) => p.id), [2]);
  assert.equal(a.kills[0].killer, 'b2');
  assert.equal(a.kills[0].ownInvolved, true);
  assert.equal(a.own.hit, true);
  const b = g.frame(400); // no snapshot for 350 ms
  assert.ok(b.renderTick > a.renderTick);
  assert.ok(g.netFigures(400).underruns > 0);
});

test('projectiles fly from their spawn data and vanish in walls', () => {
  const p = { x: 10, y: 20, angle: Math.PI / 2, spawnTick: 100 };
  assert.deepEqual(projectilePosition(p, 103, 5), { x: 10 + Math.cos(Math.PI / 2) * 15, y: 35 });
  assert.deepEqual(projectilePosition(p, 90, 5), { x: 10, y: 20 });
  assert.equal(inOpenSpace(605, 5, MAP), false);
  assert.equal(inOpenSpace(500, 5, MAP), true);
  assert.equal(inOpenSpace(-1, 5, MAP), false);
});

test('net graph text, camera and the read-only debug state', () => {
  const text = netGraphText({ pingMs: 12.34, snapshotsPerSec: 20, kbInPerSec: 3.5, kbOutPerSec: 1, interpDelayMs: 90, jitterMs: 2, underruns: 0, extrapolating: false, corrections: 3, correctionLast: 0.5, correctionMax: 1, seq: 10, ackSeq: 8, pendingInputs: 2, tick: 99 }, 60);
  assert.match(text, /ping +12\.3 ms/);
  assert.match(text, /corrections 3/);
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
