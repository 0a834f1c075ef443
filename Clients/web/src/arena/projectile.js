// Projectile flight, mirrored from Sources/Arena (FixedMath.sinQ14 and World.projectileVelocity): a
// projectile flies at a constant integer velocity fixed at spawn, so the client draws it from
// its spawn data alone, exactly where the server has it.
// Protocol/vectors/movement/projectiles/trig.json pins the integer trigonometry
// (checked by Clients/web/test/movement.test.js).

/** Sine of a binary angle (65536 per turn) in Q14 (16384 = 1.0); integer math only. */
export function sinQ14(angle) {
  const a = angle & 0xffff;
  const quadrant = a >> 14;
  const within = a & 0x3fff;
  const x = (quadrant & 1) === 0 ? within : 16384 - within;
  // S(x) = x * (A - x² * (B - C * x²)) in Q14; every product stays below 2^31 except x * (...)
  // which stays below 2^29 * 2^15, far inside 2^53, and the shifts act as floor division.
  const A = 25736;
  const B = 2 * 25736 - 40960;
  const C = 25736 - 24576;
  const x2 = Math.floor((x * x) / 16384);
  const inner = B - Math.floor((C * x2) / 16384);
  const s = Math.floor((x * (A - Math.floor((x2 * inner) / 16384))) / 16384);
  // `0 - s` rather than `-s`: a negated zero would be -0, which Swift's integers do not have.
  return quadrant >= 2 ? 0 - s : s;
}

/** Cosine of a binary angle in Q14. */
export function cosQ14(angle) {
  return sinQ14((angle + 16384) & 0xffff);
}

/** The per-tick velocity (subunits) of a projectile fired at `angle` with `speed` subunits per tick. */
export function projectileVelocity(angle, speed) {
  // `| 0` folds Math.trunc's -0 (e.g. trunc(-0.5)) into 0, as Swift's Int32 has it.
  return {
    vx: Math.trunc((cosQ14(angle) * speed) / 16384) | 0,
    vy: Math.trunc((sinQ14(angle) * speed) / 16384) | 0,
  };
}

/** Where a projectile ({x, y, angle, spawnTick} from the snapshot) is at `tick`. */
export function projectilePosition(projectile, tick, speed) {
  const { vx, vy } = projectileVelocity(projectile.angle, speed);
  const age = tick - projectile.spawnTick;
  return { x: projectile.x + vx * age, y: projectile.y + vy * age };
}
