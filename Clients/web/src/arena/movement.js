// Ship movement, mirrored line for line from Sources/Arena/PlayerMovement.swift so the browser
// predicts its own ship exactly as the server moves it. All values are integers in subunits
// (1/256 world unit); every product stays far below 2^53, so Number math is exact, and
// Math.trunc gives the same truncating division as Swift's `/`.
// Protocol/vectors/movement/*.json pin both implementations (Clients/web/test/movement.test.js).

/** Floor of the square root of a non-negative integer (0 for negatives). */
export function isqrt(value) {
  if (value <= 0) return 0;
  let r = Math.floor(Math.sqrt(value));
  while (r * r > value) r -= 1;
  while ((r + 1) * (r + 1) <= value) r += 1;
  return r;
}

const clampMove = (v) => Math.max(-127, Math.min(127, Math.trunc(v)));

/**
 * Advances `state` ({x, y, vx, vy}, mutated in place) by one tick of input (moveX, moveY in
 * -127..127) with `tuning` ({accel, friction, maxSpeed, radius}, the wire's MoveTuning), inside a
 * mapWidth x mapHeight map with `walls` ([{x, y, w, h}], all in subunits).
 */
export function stepMovement(state, moveX, moveY, tuning, mapWidth, mapHeight, walls) {
  let mx = clampMove(moveX);
  let my = clampMove(moveY);
  const lengthSquared = mx * mx + my * my;
  if (lengthSquared > 127 * 127) {
    const length = isqrt(lengthSquared);
    mx = Math.trunc((mx * 127) / length);
    my = Math.trunc((my * 127) / length);
  }
  let vx = state.vx + Math.trunc((mx * tuning.accel) / 127);
  let vy = state.vy + Math.trunc((my * tuning.accel) / 127);

  const keep = 256 - Math.min(tuning.friction, 256);
  vx = Math.trunc((vx * keep) / 256);
  vy = Math.trunc((vy * keep) / 256);

  const maxSpeed = tuning.maxSpeed;
  const speedSquared = vx * vx + vy * vy;
  if (speedSquared > maxSpeed * maxSpeed) {
    const speed = isqrt(speedSquared);
    vx = Math.trunc((vx * maxSpeed) / speed);
    vy = Math.trunc((vy * maxSpeed) / speed);
  }
  // Normalise -0 so results compare equal to the vectors with Object.is-style checks.
  state.vx = vx | 0;
  state.vy = vy | 0;
  slide(state, tuning.radius, mapWidth, mapHeight, walls);
  return state;
}

/**
 * Moves by the current velocity: along x first, stopping at the first wall face or map edge in
 * the way (vx = 0), then along y. Walls the box already overlaps do not block.
 */
export function slide(state, r, mapWidth, mapHeight, walls) {
  if (state.vx !== 0) {
    const from = state.x;
    const target = from + state.vx;
    if (state.vx > 0) {
      let limit = mapWidth - r;
      for (const wall of walls) {
        if (wall.y < state.y + r && wall.y + wall.h > state.y - r && wall.x >= from + r && wall.x - r < limit) {
          limit = wall.x - r;
        }
      }
      if (target > limit) {
        state.x = Math.max(from, limit);
        state.vx = 0;
      } else {
        state.x = target;
      }
    } else {
      let limit = r;
      for (const wall of walls) {
        if (wall.y < state.y + r && wall.y + wall.h > state.y - r && wall.x + wall.w <= from - r && wall.x + wall.w + r > limit) {
          limit = wall.x + wall.w + r;
        }
      }
      if (target < limit) {
        state.x = Math.min(from, limit);
        state.vx = 0;
      } else {
        state.x = target;
      }
    }
  }
  if (state.vy !== 0) {
    const from = state.y;
    const target = from + state.vy;
    if (state.vy > 0) {
      let limit = mapHeight - r;
      for (const wall of walls) {
        if (wall.x < state.x + r && wall.x + wall.w > state.x - r && wall.y >= from + r && wall.y - r < limit) {
          limit = wall.y - r;
        }
      }
      if (target > limit) {
        state.y = Math.max(from, limit);
        state.vy = 0;
      } else {
        state.y = target;
      }
    } else {
      let limit = r;
      for (const wall of walls) {
        if (wall.x < state.x + r && wall.x + wall.w > state.x - r && wall.y + wall.h <= from - r && wall.y + wall.h + r > limit) {
          limit = wall.y + wall.h + r;
        }
      }
      if (target < limit) {
        state.y = Math.min(from, limit);
        state.vy = 0;
      } else {
        state.y = target;
      }
    }
  }
  return state;
}
