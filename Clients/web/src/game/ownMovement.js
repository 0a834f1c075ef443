// The one adapter between the client and the Arena's shared movement step
// (src/arena/movement.js, a mirror of the server's fixed-point integer movement).
// Assumed interface: stepMovement(state {x,y,vx,vy}, input {moveX,moveY}, tuning
// {accel,friction,maxSpeed,radius}, walls [{x,y,w,h}], mapSize {width,height}) -> state,
// everything in integer subunits. If the module is missing the client still plays, without
// prediction: the own ship then follows the server's state.

import { SUBUNITS } from './constants.js';

let arena = null;
try {
  arena = await import('../arena/movement.js');
} catch {
  arena = null;
}

export const predictionAvailable = Boolean(arena && typeof arena.stepMovement === 'function');

/** World units (multiples of 1/256 on the wire) to integer subunits, exactly. */
export function toSubunits(world) { return Math.round(world * SUBUNITS); }
export function toWorld(sub) { return sub / SUBUNITS; }

/** MapInfo's geometry in subunits, as the movement step takes it. */
export function movementContext(mapInfo) {
  return {
    tuning: { ...mapInfo.tuning },
    walls: mapInfo.walls.map((w) => ({ x: toSubunits(w.x), y: toSubunits(w.y), w: toSubunits(w.w), h: toSubunits(w.h) })),
    mapSize: { width: toSubunits(mapInfo.width), height: toSubunits(mapInfo.height) },
  };
}

/**
 * One tick of own-ship movement bound to a map, or null when prediction is unavailable.
 * @param {any} mapInfo  @param {Function} [step] injectable for tests
 */
export function makeStep(mapInfo, step = arena && arena.stepMovement) {
  if (typeof step !== 'function') return null;
  const { tuning, walls, mapSize } = movementContext(mapInfo);
  return (state, input) => step(state, { moveX: input.moveX, moveY: input.moveY }, tuning, walls, mapSize);
}
