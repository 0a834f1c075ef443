// Buffered snapshots of the world (everything but the own ship, which is predicted) and the
// interpolated view of them at a fractional render tick.

/** @typedef {{ id: number, type: string, value: any }} EntityEntry */
/** @typedef {{ id: number, type: string, value: any, x: number, y: number }} ViewEntity */

const TWO_PI = Math.PI * 2;

export function lerp(a, b, t) { return a + (b - a) * t; }

/** Interpolates angles (radians) the short way round; the result is in [0, 2π). */
export function lerpAngle(a, b, t) {
  let d = (b - a) % TWO_PI;
  if (d > Math.PI) d -= TWO_PI;
  if (d < -Math.PI) d += TWO_PI;
  const r = (a + d * t) % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}

export class SnapshotBuffer {
  /**
   * @param {{ capacity?: number, maxExtrapolateTicks?: number, coastTicks?: number }} [options]
   *   maxExtrapolateTicks: how far past the newest snapshot ships keep their last velocity;
   *   coastTicks: beyond that they slow down exponentially with this time constant, so a ship
   *   never stops dead in a stall, and overshoots by at most its velocity × (max + coast).
   *   (The drawn-position smoother blends them back when snapshots resume.)
   */
  constructor({ capacity = 64, maxExtrapolateTicks = 6, coastTicks = 0 } = {}) {
    this.capacity = capacity;
    this.maxExtrapolateTicks = maxExtrapolateTicks;
    this.coastTicks = coastTicks;
    /** @type {{ tick: number, entities: Map<number, EntityEntry> }[]} oldest first */
    this.snapshots = [];
  }

  get newestTick() { return this.snapshots.length ? this.snapshots[this.snapshots.length - 1].tick : null; }

  clear() { this.snapshots.length = 0; }

  /** Adds a snapshot; stale or repeated ticks are ignored. @param {EntityEntry[]} entities */
  push(tick, entities) {
    const newest = this.newestTick;
    if (newest !== null && tick <= newest) return false;
    const map = new Map();
    for (const e of entities) map.set(e.id, e);
    this.snapshots.push({ tick, entities: map });
    if (this.snapshots.length > this.capacity) this.snapshots.shift();
    return true;
  }

  /** Drops snapshots no longer needed for render ticks at or after `renderTick`. */
  prune(renderTick) {
    while (this.snapshots.length > 2 && this.snapshots[1].tick <= renderTick) this.snapshots.shift();
  }

  /**
   * The world at `renderTick`: entities of the snapshot at or before it, moved towards the next
   * one; past the newest snapshot, extrapolated along the last velocity for at most
   * maxExtrapolateTicks and then slowed to a stop over coastTicks.
   * @returns {{ entities: ViewEntity[], extrapolating: boolean }}
   */
  sample(renderTick) {
    const snaps = this.snapshots;
    if (!snaps.length || renderTick === null) return { entities: [], extrapolating: false };
    let i = snaps.length - 1;
    while (i > 0 && snaps[i].tick > renderTick) i--;
    const from = snaps[i];
    const to = snaps[i + 1];
    if (to) {
      const t = Math.max(0, Math.min(1, (renderTick - from.tick) / (to.tick - from.tick)));
      return { entities: this.blend(from, to, t, true), extrapolating: false };
    }
    const prev = snaps[i - 1];
    if (!prev || renderTick <= from.tick) return { entities: this.blend(from, null, 0, false), extrapolating: false };
    const t = 1 + this.travelled(renderTick - from.tick) / (from.tick - prev.tick);
    return { entities: this.blend(prev, from, t, false), extrapolating: true };
  }

  /** Ticks of travel at the last velocity for `ahead` ticks past the newest snapshot. */
  travelled(ahead) {
    const full = this.maxExtrapolateTicks, coast = this.coastTicks;
    if (ahead <= full) return ahead;
    return coast > 0 ? full + coast * (1 - Math.exp(-(ahead - full) / coast)) : full;
  }

  /** Entities of `b` (or `a` when blending forward inside an interval), positioned at t. */
  blend(a, b, t, forward) {
    const out = [];
    const base = forward || !b ? a : b;
    for (const e of base.entities.values()) {
      const other = forward ? b && b.entities.get(e.id) : a.entities.get(e.id);
      out.push(this.position(e, other, t, forward));
    }
    // A projectile in the next snapshot is drawn as soon as it exists: its spawn data says where.
    if (forward && b) {
      for (const e of b.entities.values()) {
        if (e.type === 'Projectile' && !a.entities.has(e.id)) out.push(this.position(e, null, 0, true));
      }
    }
    return out;
  }

  /**
   * A view entity at t between its earlier state p and later state q. `moving`: the two
   * snapshots show it at different places (what the freeze counter compares the drawing with).
   * A ship whose teleport counter differs between them was placed, not moved: it is drawn at one
   * place or the other, never in between, and `teleport` tells which counter is drawn.
   */
  position(e, other, t, forward) {
    const v = e.value;
    const view = { id: e.id, type: e.type, value: v, x: v.x, y: v.y, aim: v.aim, teleport: v.teleport, moving: false };
    if (!other || other.type !== e.type || e.type !== 'Player') return view;
    const [p, q] = forward ? [v, other.value] : [other.value, v];
    if (p.teleport !== q.teleport) {
      const pick = !forward || t >= 0.5 ? q : p;
      view.x = pick.x; view.y = pick.y; view.teleport = pick.teleport;
      return view;
    }
    view.moving = p.x !== q.x || p.y !== q.y;
    view.x = lerp(p.x, q.x, t);
    view.y = lerp(p.y, q.y, t);
    view.aim = lerpAngle(p.aim, q.aim, Math.min(t, 1));
    return view;
  }
}
