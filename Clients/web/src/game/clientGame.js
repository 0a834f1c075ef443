// Everything the client knows about the game, fed by decoded messages and the clock, with no
// DOM: prediction and reconciliation of the own ship, the interpolated rest of the world, the
// kill feed and scoreboard, and the figures of the net graph. main.js wires it to the socket,
// the input devices and the canvas.

import { PlayoutClock } from '../net/playoutClock.js';
import { SnapshotBuffer } from '../net/snapshotBuffer.js';
import { NetStats } from '../net/netStats.js';
import { InputSequencer } from './inputSequencer.js';
import { Predictor } from './predictor.js';
import { CorrectionSmoother, DrawnShips, SPEED_CAP_FACTOR } from './smoothing.js';
import { MotionMonitor } from './motionMonitor.js';
import { Telemetry, CorrectionCause } from './telemetry.js';
import { KillFeed } from './killFeed.js';
import { projectilePosition, inOpenSpace } from './projectiles.js';
import { toSubunits, toWorld, maxSpeedPerMs } from './ownMovement.js';
import { SCHEMA } from '../protocol/arena.js';

const HIT_FLASH_MS = 250;
/** Remote ships keep their last velocity this long past the newest snapshot... */
const MAX_EXTRAPOLATE_MS = 150;
/** ...and then slow down with this time constant (at most 300 ms of travel in all). */
const COAST_MS = 150;

/** Input.viewTick carries the low bits of a tick: this many values (2^16), from the schema. */
const VIEW_TICK_VALUES = 2 ** SCHEMA.types.Input.fields.find((f) => f.name === 'viewTick').type.bits;

/** Input.viewTick: the integer server tick remote entities are drawn at, its low bits. */
export function viewTickOf(renderTick) {
  return renderTick === null || renderTick === undefined ? 0 : Math.max(0, Math.floor(renderTick)) % VIEW_TICK_VALUES;
}

export class ClientGame {
  /**
   * @param {{ makeStep: (mapInfo: any) => Function, stats?: NetStats }} options
   *   makeStep binds the movement step to a MapInfo (src/game/ownMovement.js)
   */
  constructor({ makeStep, stats = new NetStats() }) {
    this.makeStep = makeStep;
    this.stats = stats;
    this.telemetry = new Telemetry();
    this.ownId = null;
    this.ownName = '';
    this.welcome = null;
    this.map = null;
    this.own = null;
    this.ackSeq = 0;
    this.tick = 0;
    this.scoreboard = [];
    this.killFeed = new KillFeed();
    this.smoother = new CorrectionSmoother();
    this.ships = new DrawnShips();
    /** @type {MotionMonitor | null} set with the map (it needs the max speed) */
    this.motion = null;
    /** id -> name, from players and the scoreboard, for the kill feed */
    this.names = new Map();
    /** target id -> time of the last hit, for a flash */
    this.hitAt = new Map();
    this.sequencer = null;
    this.predictor = null;
    this.clock = null;
    this.buffer = null;
    this.lastFrameMs = null;
    this.lastRenderTick = null;
    this.extrapolating = false;
    /** @type {{ x: number, y: number } | null} where the own ship was last drawn */
    this.ownDrawn = null;
  }

  get ready() { return Boolean(this.welcome && this.map && this.own); }

  onWelcome(w) {
    const previous = this.welcome;
    this.welcome = w;
    this.ownId = w.playerId;
    this.tick = w.tick;
    // A resumed connection continues the same picture: the render clock, the buffered world and
    // the prediction carry over, so nothing rewinds or snaps because the socket was replaced.
    const same = previous && w.resumed && previous.tickRate === w.tickRate && previous.snapshotInterval === w.snapshotInterval;
    if (same) return;
    const previousSeq = this.sequencer ? this.sequencer.seq : 0;
    this.clock = new PlayoutClock(w.tickRate, w.snapshotInterval);
    this.buffer = new SnapshotBuffer({ maxExtrapolateTicks: (MAX_EXTRAPOLATE_MS * w.tickRate) / 1000, coastTicks: (COAST_MS * w.tickRate) / 1000 });
    this.sequencer = new InputSequencer(w.tickRate, undefined, w.snapshotInterval);
    // Sequence numbers keep rising across a new connection, so no input is ever reused.
    this.sequencer.seq = previousSeq;
    this.own = null;
    this.map = null;
    this.predictor = null;
  }

  onMapInfo(m) {
    const sameMap = this.map && this.predictor && this.map.name === m.name;
    this.map = m;
    const step = this.makeStep(m);
    if (sameMap) this.predictor.step = step;
    else this.predictor = new Predictor(step);
    this.speedPerMs = maxSpeedPerMs(m, this.welcome.tickRate);
    this.smoother.maxSpeedPerMs = SPEED_CAP_FACTOR * this.speedPerMs;
    const intervalMs = (1000 * this.welcome.snapshotInterval) / this.welcome.tickRate;
    if (!this.motion) this.motion = new MotionMonitor(intervalMs, this.speedPerMs);
  }

  onSnapshot(s, nowMs) {
    if (!this.welcome) return;
    this.stats.snapshots.add(nowMs);
    this.telemetry.snapshot(nowMs, this.clock.lateness(s.tick, nowMs));
    this.telemetry.server(s.ackSeq, s.inputBuffer, s.own.heldTicks, nowMs);
    this.tick = s.tick;
    this.ackSeq = s.ackSeq;
    this.clock.observe(s.tick, nowMs);
    this.sequencer.steer(s.inputBuffer, s.ackSeq, s.own.heldTicks);
    const others = s.entities.filter((e) => e.id !== this.ownId);
    this.buffer.push(s.tick, others);
    for (const e of others) if (e.type === 'Player') this.names.set(e.id, e.value.name);
    for (const row of s.scoreboard) this.names.set(row.id, row.name);
    this.scoreboard = s.scoreboard;
    this.killFeed.add(s.kills, (id) => this.nameOf(id), this.ownId, nowMs);
    for (const h of s.hits) this.hitAt.set(h.target, nowMs);
    const teleported = this.own !== null && this.own.teleport !== s.own.teleport;
    const died = this.own !== null && this.own.alive && !s.own.alive;
    this.own = s.own;
    if (this.predictor) this.reconcile(s, teleported, died);
  }

  /**
   * The own ship: the server's exact state after input ackSeq plus the replay of our later
   * inputs. What the replay moves is a correction; a teleport snaps, anything else glides.
   */
  reconcile(s, teleported, died = false) {
    const state = { x: toSubunits(s.own.x), y: toSubunits(s.own.y), vx: toSubunits(s.own.vx), vy: toSubunits(s.own.vy) };
    const { dx, dy } = this.predictor.reconcile(state, s.ackSeq, s.own.alive);
    const size = Math.hypot(toWorld(dx), toWorld(dy));
    if (teleported) {
      this.smoother.snap();
      this.telemetry.correction(size, CorrectionCause.teleport, s.tick, s.ackSeq);
    } else if (size > 0) {
      this.smoother.glide(toWorld(dx), toWorld(dy));
      const cause = died ? CorrectionCause.death : this.touching(s) ? CorrectionCause.contact : CorrectionCause.misprediction;
      this.telemetry.correction(size, cause, s.tick, s.ackSeq);
    }
  }

  /**
   * Whether another ship in the snapshot touches ours (within two radii plus a tick of travel
   * each): then the server may have pushed us, which the client does not predict.
   */
  touching(s) {
    const reach = toWorld(2 * this.map.tuning.radius + 2 * this.map.tuning.maxSpeed);
    for (const e of s.entities) {
      if (e.type === 'Player' && e.id !== this.ownId && e.value.alive && Math.hypot(e.value.x - s.own.x, e.value.y - s.own.y) < reach) return true;
    }
    return false;
  }

  /** Other players in the newest snapshot: how many, and how many of them alive. */
  playersKnown() {
    const newest = this.buffer && this.buffer.snapshots.at(-1);
    let total = 0, alive = 0;
    if (newest) for (const e of newest.entities.values()) if (e.type === 'Player') { total++; if (e.value.alive) alive++; }
    return { total, alive };
  }

  nameOf(id) {
    if (id === this.ownId) return this.ownName || 'you';
    return this.names.get(id) || `#${id & 0xffffff}`;
  }

  /**
   * Runs the input ticks due at `nowMs`.
   * @param {() => { moveX: number, moveY: number, aim: number, fire: boolean, secondary: boolean }} sample
   * @returns {object[]} the Input messages to send, in order
   */
  pumpInputs(nowMs, sample) {
    if (!this.ready || !this.predictor) return [];
    const n = this.sequencer.due(nowMs);
    const out = [];
    for (let i = 0; i < n; i++) {
      const intent = sample();
      // viewTick: the tick remote ships are on screen at, for the server's lag compensation.
      const input = { seq: this.sequencer.nextSeq(), moveX: intent.moveX, moveY: intent.moveY, aim: intent.aim, fire: intent.fire, secondary: intent.secondary, viewTick: viewTickOf(this.lastRenderTick) };
      this.predictor.applyInput(input);
      this.telemetry.inputSent(input.seq, nowMs);
      out.push(input);
    }
    return out;
  }

  /** The own ship where it is drawn: prediction between ticks plus the gliding correction. */
  ownDrawPosition() {
    const p = this.predictor;
    if (!p || !p.predicted) return null;
    const a = this.sequencer.alpha;
    const x = toWorld(p.previous.x + (p.predicted.x - p.previous.x) * a) + this.smoother.x;
    const y = toWorld(p.previous.y + (p.predicted.y - p.previous.y) * a) + this.smoother.y;
    return { x, y };
  }

  predictedPosition() {
    const p = this.predictor;
    return p && p.predicted ? { x: toWorld(p.predicted.x), y: toWorld(p.predicted.y) } : null;
  }

  confirmedPosition() {
    return this.own ? { x: this.own.x, y: this.own.y } : null;
  }

  /** The picture at `nowMs`: where everything is drawn. Never waits for the network. */
  frame(nowMs) {
    const dt = this.lastFrameMs === null ? 0 : Math.max(0, nowMs - this.lastFrameMs);
    this.lastFrameMs = nowMs;
    this.smoother.decay(dt);
    if (!this.ready) return null;
    const renderTick = this.clock.advance(nowMs, this.buffer.newestTick);
    this.lastRenderTick = renderTick;
    this.telemetry.playout(this.clock.lagMs(nowMs));
    const { entities, extrapolating } = this.buffer.sample(renderTick);
    this.extrapolating = extrapolating;
    this.buffer.prune(renderTick - this.welcome.snapshotInterval);
    const ships = entities.filter((e) => e.type === 'Player');
    const drawn = this.ships.update(ships, dt, SPEED_CAP_FACTOR * this.speedPerMs * dt);
    this.motion.frame(dt, ships.map((e) => ({ id: e.id, moving: e.moving, ...drawn.get(e.id) })));
    const players = [], projectiles = [], pickups = [];
    for (const e of entities) {
      if (e.type === 'Player') {
        const at = drawn.get(e.id);
        players.push({ id: e.id, x: at.x, y: at.y, aim: e.aim, name: e.value.name, health: e.value.health, alive: e.value.alive, powered: e.value.powered, hit: nowMs - (this.hitAt.get(e.id) ?? -1e9) < HIT_FLASH_MS });
      } else if (e.type === 'Projectile') {
        const pos = projectilePosition(e.value, renderTick, this.map);
        if (pos && inOpenSpace(pos.x, pos.y, this.map)) projectiles.push({ id: e.id, x: pos.x, y: pos.y, angle: e.value.angle, own: e.value.owner === this.ownId });
      } else if (e.type === 'Pickup') {
        pickups.push({ id: e.id, x: e.x, y: e.y, kind: e.value.kind, available: e.value.available });
      }
    }
    const pos = this.ownDrawPosition() || { x: this.own.x, y: this.own.y };
    this.ownDrawn = pos;
    return {
      renderTick, players, projectiles, pickups,
      own: { id: this.ownId, name: this.ownName, x: pos.x, y: pos.y, ...this.ownStatus(), hit: nowMs - (this.hitAt.get(this.ownId) ?? -1e9) < HIT_FLASH_MS },
      map: this.map,
      scoreboard: this.scoreboard,
      kills: this.killFeed.visible(nowMs),
    };
  }

  ownStatus() {
    const o = this.own;
    const msPerTick = 1000 / this.welcome.tickRate;
    return {
      health: o.health, alive: o.alive, respawnMs: o.respawnTicks * msPerTick, cooldownTicks: o.cooldownTicks,
      powerMs: o.powerTicks * msPerTick, kills: o.kills, deaths: o.deaths, score: o.score,
    };
  }

  /** The net graph's figures at `nowMs`, also window.arbiter.net (Clients/web/README.md). */
  netFigures(nowMs) {
    const s = this.stats;
    const c = this.clock;
    const m = this.motion;
    const q = this.sequencer;
    const t = this.telemetry.figures();
    return {
      pingMs: s.pingSmoothMs === null ? null : Math.round(s.pingSmoothMs * 10) / 10,
      // One way is about half the round trip when the snapshot is on time, plus its lateness.
      snapshotLatencyMs: s.pingSmoothMs === null || t.snapshotLateP50Ms === null ? null : Math.round(s.pingSmoothMs / 2 + t.snapshotLateP50Ms),
      snapshotsPerSec: s.snapshots.rate(nowMs),
      kbInPerSec: s.bytesIn.rate(nowMs) / 1000,
      kbOutPerSec: s.bytesOut.rate(nowMs) / 1000,
      interpDelayMs: c ? Math.round(c.delayMs * 10) / 10 : null,
      jitterMs: c ? Math.round(c.jitter.jitterMs * 100) / 100 : null,
      underruns: c ? c.underruns : 0,
      extrapolating: this.extrapolating,
      renderTick: this.lastRenderTick,
      ...t,
      remoteFreezes: m ? m.freezes : 0,
      remoteFreezeLongestMs: m ? Math.round(m.longestFreezeMs) : 0,
      remoteJumps: m ? m.jumps : 0,
      remoteJumpLargest: m ? m.largestJump : 0,
      inputSkips: q ? q.pacer.skips : 0,
      inputTicksSkipped: q ? q.skipped : 0,
      pendingInputs: this.predictor ? this.predictor.pending.length : 0,
      tick: this.tick,
      ackSeq: this.ackSeq,
      seq: q ? q.seq : 0,
    };
  }
}
