// DEVELOPMENT STAND-IN for src/arena/movement.js (written by the Arena side), served by
// dev/fakeServer.js only when the real module is missing: integer accel/friction/max speed.

export function stepMovement(state, input, tuning, walls, mapSize) {
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  let vx = state.vx + Math.trunc((input.moveX * tuning.accel) / 127);
  let vy = state.vy + Math.trunc((input.moveY * tuning.accel) / 127);
  vx -= Math.sign(vx) * Math.min(Math.abs(vx), tuning.friction);
  vy -= Math.sign(vy) * Math.min(Math.abs(vy), tuning.friction);
  vx = clamp(vx, -tuning.maxSpeed, tuning.maxSpeed);
  vy = clamp(vy, -tuning.maxSpeed, tuning.maxSpeed);
  const r = tuning.radius;
  return { x: clamp(state.x + vx, r, mapSize.width - r), y: clamp(state.y + vy, r, mapSize.height - r), vx, vy };
}
