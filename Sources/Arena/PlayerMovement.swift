/// The ship movement model, the one part of the simulation a client predicts. Every operation
/// is integer math with truncating division, so `Clients/web/src/arena/movement.js` (which
/// mirrors this function line for line) reaches the same state bit for bit. The shared vectors
/// in `Protocol/vectors/movement/` pin both implementations.
public enum PlayerMovement {
    /// What the movement model carries from tick to tick.
    public struct State: Sendable, Hashable {
        public var x: Int32
        public var y: Int32
        public var vx: Int32
        public var vy: Int32

        public init(x: Int32, y: Int32, vx: Int32 = 0, vy: Int32 = 0) {
            self.x = x
            self.y = y
            self.vx = vx
            self.vy = vy
        }
    }

    /// Advances one tick:
    /// 1. the move vector is clamped to -127...127 and, if longer than 127, scaled to 127;
    /// 2. velocity += move * accel / 127;
    /// 3. velocity *= (256 - friction) / 256;
    /// 4. if |velocity| > maxSpeed, velocity is scaled to maxSpeed;
    /// 5. the box of half-size `radius` moves along x and stops at the first wall face or map
    ///    edge in its way (velocity x = 0), then likewise along y.
    /// Walls the box already overlaps do not block (a ship spawned badly can walk out). The
    /// order of `walls` does not matter, and a wall may appear more than once, so callers can
    /// pass candidates from a broad phase.
    public static func step(
        _ state: inout State, moveX: Int, moveY: Int, tuning: MoveTuning,
        mapWidth: Int32, mapHeight: Int32, walls: [WallRect]
    ) {
        var mx = Int64(max(-127, min(127, moveX)))
        var my = Int64(max(-127, min(127, moveY)))
        let lengthSquared = mx * mx + my * my
        if lengthSquared > 127 * 127 {
            let length = FixedMath.isqrt(lengthSquared)
            mx = mx * 127 / length
            my = my * 127 / length
        }
        let accel = Int64(tuning.accel)
        var vx = Int64(state.vx) + mx * accel / 127
        var vy = Int64(state.vy) + my * accel / 127

        let keep = 256 - Int64(min(tuning.friction, 256))
        vx = vx * keep / 256
        vy = vy * keep / 256

        let maxSpeed = Int64(tuning.maxSpeed)
        let speedSquared = vx * vx + vy * vy
        if speedSquared > maxSpeed * maxSpeed {
            let speed = FixedMath.isqrt(speedSquared)
            vx = vx * maxSpeed / speed
            vy = vy * maxSpeed / speed
        }
        state.vx = Int32(vx)
        state.vy = Int32(vy)
        slide(&state, radius: Int32(tuning.radius), mapWidth: mapWidth, mapHeight: mapHeight, walls: walls)
    }

    /// Step 5 alone: moves by the current velocity with wall and edge collision. The server
    /// also uses it, with the push as a throwaway velocity, to separate overlapping ships
    /// without pushing them into walls.
    public static func slide(
        _ state: inout State, radius r: Int32, mapWidth: Int32, mapHeight: Int32, walls: [WallRect]
    ) {
        if state.vx != 0 {
            let from = state.x
            let target = from + state.vx
            if state.vx > 0 {
                var limit = mapWidth - r
                for i in 0..<walls.count {
                    let wall = walls[i]
                    if wall.y < state.y + r && wall.maxY > state.y - r && wall.x >= from + r && wall.x - r < limit {
                        limit = wall.x - r
                    }
                }
                if target > limit {
                    state.x = max(from, limit)
                    state.vx = 0
                } else {
                    state.x = target
                }
            } else {
                var limit = r
                for i in 0..<walls.count {
                    let wall = walls[i]
                    if wall.y < state.y + r && wall.maxY > state.y - r && wall.maxX <= from - r && wall.maxX + r > limit {
                        limit = wall.maxX + r
                    }
                }
                if target < limit {
                    state.x = min(from, limit)
                    state.vx = 0
                } else {
                    state.x = target
                }
            }
        }
        if state.vy != 0 {
            let from = state.y
            let target = from + state.vy
            if state.vy > 0 {
                var limit = mapHeight - r
                for i in 0..<walls.count {
                    let wall = walls[i]
                    if wall.x < state.x + r && wall.maxX > state.x - r && wall.y >= from + r && wall.y - r < limit {
                        limit = wall.y - r
                    }
                }
                if target > limit {
                    state.y = max(from, limit)
                    state.vy = 0
                } else {
                    state.y = target
                }
            } else {
                var limit = r
                for i in 0..<walls.count {
                    let wall = walls[i]
                    if wall.x < state.x + r && wall.maxX > state.x - r && wall.maxY <= from - r && wall.maxY + r > limit {
                        limit = wall.maxY + r
                    }
                }
                if target < limit {
                    state.y = min(from, limit)
                    state.vy = 0
                } else {
                    state.y = target
                }
            }
        }
    }
}
