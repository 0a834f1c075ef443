// The one adapter between the client's predictor and the Arena's movement step
// (src/arena/movement.js, a line-for-line mirror of the server's fixed-point movement), bound to
// a map's MapInfo: tuning, size and walls, all converted to integer subunits once.

import { stepMovement } from '../arena/movement.js';
import { Limits } from '../protocol/arena.js';

/** Subunits (steps of the wire's Coord resolution, 1/256) per world unit. */
export const SUBUNITS = 1 / Limits.Coord.resolution;

/** World units (multiples of 1/256 on the wire) to integer subunits, exactly. */
export function toSubunits(world) { return Math.round(world * SUBUNITS); }
export function toWorld(sub) { return sub / SUBUNITS; }

/** MapInfo's geometry in subunits, as the movement step takes it. */
export function movementContext(mapInfo) {
  return {
    tuning: { ...mapInfo.tuning },
    walls: mapInfo.walls.map((w) => ({ x: toSubunits(w.x), y: toSubunits(w.y), w: toSubunits(w.w), h: toSubunits(w.h) })),
    width: toSubunits(mapInfo.width),
    height: toSubunits(mapInfo.height),
  };
}

/**
 * One tick of own-ship movement bound to a map: `(state, input) -> new state`. The state passed
 * in is left untouched (the predictor keeps the confirmed state and replays from it).
 * @param {any} mapInfo the decoded MapInfo message
 * @param {typeof stepMovement} [step] injectable for tests
 */
export function makeStep(mapInfo, step = stepMovement) {
  const { tuning, walls, width, height } = movementContext(mapInfo);
  return (state, input) => step({ x: state.x, y: state.y, vx: state.vx, vy: state.vy }, input.moveX, input.moveY, tuning, width, height, walls);
}

/** A ship's top speed in world units per millisecond (MapInfo.tuning.maxSpeed is subunits per tick). */
export function maxSpeedPerMs(mapInfo, tickRate) {
  return (toWorld(mapInfo.tuning.maxSpeed) * tickRate) / 1000;
}
