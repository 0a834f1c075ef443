/// One tick of a player's intentions, as the client sends them (`Input` on the wire).
public struct PlayerInput: Sendable, Hashable {
    /// Move vector components in -127...127; out-of-range values are clamped on use.
    public var moveX: Int8
    public var moveY: Int8
    /// Aim as a binary angle: 65536 per turn, 0 = +x, 16384 = +y (down the screen).
    public var aim: UInt16
    /// Primary fire: one projectile per cooldown.
    public var fire: Bool
    /// Secondary button: a three-projectile spread that costs a longer cooldown. It does not
    /// touch movement, so the client's movement prediction stays exact.
    public var secondary: Bool
    /// Lag compensation: how many ticks behind the tick this input is applied for the player
    /// saw the other ships (its interpolation delay plus latency). Projectiles fired by this
    /// input test other ships where they were that many ticks earlier, up to
    /// `Tuning.maxLagTicks`. 0 for the server's own bots.
    public var lagTicks: UInt8

    public init(moveX: Int8 = 0, moveY: Int8 = 0, aim: UInt16 = 0, fire: Bool = false, secondary: Bool = false, lagTicks: UInt8 = 0) {
        self.moveX = moveX
        self.moveY = moveY
        self.aim = aim
        self.fire = fire
        self.secondary = secondary
        self.lagTicks = lagTicks
    }

    /// Convenience for the wire's `int(-127..127)` fields: clamps rather than traps.
    public init(moveX: Int, moveY: Int, aim: UInt16, fire: Bool, secondary: Bool, lagTicks: UInt8 = 0) {
        self.init(
            moveX: Int8(clamping: max(-127, min(127, moveX))),
            moveY: Int8(clamping: max(-127, min(127, moveY))),
            aim: aim, fire: fire, secondary: secondary, lagTicks: lagTicks)
    }
}
