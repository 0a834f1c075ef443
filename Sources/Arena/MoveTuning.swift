/// The constants of the predicted movement model, in subunits (1/256 world unit). The wire
/// carries exactly these four fields (`MapInfo.tuning`) so a client predicts its own ship
/// with the server's numbers; see `PlayerMovement.step`.
public struct MoveTuning: Sendable, Hashable {
    /// Velocity gained per tick at full input, in subunits per tick.
    public var accel: UInt16
    /// Share of the velocity lost per tick, in 1/256 (0...256).
    public var friction: UInt16
    /// Speed cap, in subunits per tick.
    public var maxSpeed: UInt16
    /// Half-size of the ship's axis-aligned collision box, in subunits.
    public var radius: UInt16

    public init(accel: UInt16, friction: UInt16, maxSpeed: UInt16, radius: UInt16) {
        self.accel = accel
        self.friction = friction
        self.maxSpeed = maxSpeed
        self.radius = radius
    }
}
