// Everything the client knows about the game, fed by decoded messages and the clock, with no
// DOM: prediction and reconciliation of the own ship, the interpolated rest of the world, the
// kill feed and scoreboard, and the figures of the net graph. main.js wires it to the socket,
// the input devices and the canvas.

import { PlayoutClock } from '../net/playoutClock.js';
import { SnapshotBuffer } from '../net/snapshotBuffer.js';
import { NetStats } from '../net/netStats.js';
import { InputSequencer } from './inputSequencer.js';
import { Predictor } from './predictor.js';
import { CorrectionSmoother } from './smoothing.js';
import { KillFeed } from './killFeed.js';
import { projectilePosition, inOpenSpace } from './projectiles.js';
import { toSubunits, toWorld } from './ownMovement.js';

const HIT_FLASH_MS = 250;

export class ClientGame {
  /**
   * @param {{ makeStep: (mapInfo: any) => Function, stats?: NetStats }} options
   *   makeStep binds the movement step to a MapInfo (src/game/ownMovement.js)
   */
  constructor({ makeStep, stats = new NetStats() }) {
    this.makeStep = makeStep;
    this.stats = stats;
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
    /** id -> name, from players and the scoreboard, for the kill feed */
    this.names = new Map();
    /** target id -> time of the last hit, for a flash */
    this.hitAt = new Map();
    this.sequencer = null;
    this.predictor = null;
    this.clock = null;
    this.buffer = null;
    this.lastFrameMs = null;
    this.extrapolating = false;
  }

  get ready() { return Boolean(this.welcome && this.map && this.own); }

  onWelcome(w) {
    const previousSeq = this.sequencer ? this.sequencer.seq : 0;
    this.welcome = w;
    this.ownId = w.playerId;
    this.tick = w.tick;
    this.clock = new PlayoutClock(w.tickRate, w.snapshotInterval);
    this.buffer = new SnapshotBuffer({ maxExtrapolateTicks: w.snapshotInterval * 2 });
    this.sequencer = new InputSequencer(w.tickRate);
    // Sequence numbers keep rising across a resumed connection, so no input is ever reused.
    this.sequencer.seq = previousSeq;
    this.own = null;
    this.map = null;
    this.predictor = null;
  }

  onMapInfo(m) {
    this.map = m;
    this.predictor = new Predictor(this.makeStep(m));
  }

  onSnapshot(s, nowMs) {
    if (!this.welcome) return;
    this.stats.snapshots.add(nowMs);
    this.tick = s.tick;
    this.ackSeq = s.ackSeq;
    this.clock.observe(s.tick, nowMs);
    const others = s.entities.filter((e) => e.id !== this.ownId);
    this.buffer.push(s.tick, others);
    for (const e of others) if (e.type === 'Player') this.names.set(e.id, e.value.name);
    for (const row of s.scoreboard) this.names.set(row.id, row.name);
    this.scoreboard = s.scoreboard;
    this.killFeed.add(s.kills, (id) => this.nameOf(id), this.ownId, nowMs);
    for (const h of s.hits) this.hitAt.set(h.target, nowMs);
    this.own = s.own;
    if (this.predictor) {
      const state = { x: toSubunits(s.own.x), y: toSubunits(s.own.y), vx: toSubunits(s.own.vx), vy: toSubunits(s.own.vy) };
      const { dx, dy } = this.predictor.reconcile(state, s.ackSeq, s.own.alive);
      this.smoother.correct(toWorld(dx), toWorld(dy));
    }
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
      // viewTick: the tick remote ships were last drawn at, for the server's lag compensation.
      const viewTick = Math.max(0, Math.floor(this.lastRenderTick ?? 0)) & 0xffff;
      const input = { seq: this.sequencer.nextSeq(), moveX: intent.moveX, moveY: intent.moveY, aim: intent.aim, fire: intent.fire, secondary: intent.secondary, viewTick };
      this.predictor.applyInput(input);
      out.push(input);
    }
    return out;
  }

  /** The own ship where it is drawn: prediction between ticks plus the decaying correction. */
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
    const dt = this.lastFrameMs === null ? 0 : nowMs - this.lastFrameMs;
    this.lastFrameMs = nowMs;
    this.smoother.decay(dt);
    if (!this.ready) return null;
    const renderTick = this.clock.advance(nowMs, this.buffer.newestTick);
    this.lastRenderTick = renderTick;
    const { entities, extrapolating } = this.buffer.sample(renderTick);
    this.extrapolating = extrapolating;
    this.buffer.prune(renderTick - this.welcome.snapshotInterval);
    const players = [], projectiles = [], pickups = [];
    for (const e of entities) {
      if (e.type === 'Player') {
        players.push({ id: e.id, x: e.x, y: e.y, aim: e.aim, name: e.value.name, health: e.value.health, alive: e.value.alive, powered: e.value.powered, hit: nowMs - (this.hitAt.get(e.id) ?? -1e9) < HIT_FLASH_MS });
      } else if (e.type === 'Projectile') {
        const pos = projectilePosition(e.value, renderTick, this.map);
        if (pos && inOpenSpace(pos.x, pos.y, this.map)) projectiles.push({ id: e.id, x: pos.x, y: pos.y, angle: e.value.angle, own: e.value.owner === this.ownId });
      } else if (e.type === 'Pickup') {
        pickups.push({ id: e.id, x: e.x, y: e.y, kind: e.value.kind, available: e.value.available });
      }
    }
    const pos = this.ownDrawPosition() || { x: this.own.x, y: this.own.y };
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

  /** The net graph's figures at `nowMs`. */
  netFigures(nowMs) {
    const s = this.stats;
    const sm = this.smoother;
    return {
      pingMs: s.pingSmoothMs === null ? null : Math.round(s.pingSmoothMs * 10) / 10,
      snapshotsPerSec: s.snapshots.rate(nowMs),
      kbInPerSec: s.bytesIn.rate(nowMs) / 1000,
      kbOutPerSec: s.bytesOut.rate(nowMs) / 1000,
      interpDelayMs: this.clock ? Math.round(this.clock.delayMs * 10) / 10 : null,
      jitterMs: this.clock ? Math.round(this.clock.jitter.jitterMs * 100) / 100 : null,
      underruns: this.clock ? this.clock.underruns : 0,
      extrapolating: this.extrapolating,
      corrections: sm.count,
      correctionLast: sm.last,
      correctionMax: sm.max,
      correctionMean: sm.mean,
      pendingInputs: this.predictor ? this.predictor.pending.length : 0,
      tick: this.tick,
      ackSeq: this.ackSeq,
      seq: this.sequencer ? this.sequencer.seq : 0,
    };
  }
}
