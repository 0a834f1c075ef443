import Arena
import ArbiterProtocol

/// An `Input` on its way to the simulation: in the room's command queue and in the player's
/// `InputBuffer`. Each field is stored at the size the schema gives it (`int(-127..127)`,
/// `angle(16)`, `u16`, two flags), 12 bytes where the decoded `Input` takes 40 (`Int`s and a
/// `Double`). Both queues keep the capacity of the largest burst they ever held (a loop that
/// read 30 ticks of inputs from every socket at once after a stall), so the element's size is
/// memory per player: at 1,000 clients the 40-byte form cost 2.6 KiB per player in the buffers
/// and 2.1 KiB in the command queue (`Tests/Benchmarks/RESULTS.md`, "Memory per connection").
public struct QueuedInput: Sendable, Equatable {
    public var seq: UInt32
    /// Binary angle, 65536 per turn: the simulation's unit, quantized once on the loop.
    public var aim: UInt16
    /// The low 16 bits of the tick the client showed the others at.
    public var viewTick: UInt16
    public var moveX: Int8
    public var moveY: Int8
    private var buttons: UInt8

    private static let fireBit: UInt8 = 1
    private static let secondaryBit: UInt8 = 2

    public var fire: Bool { buttons & Self.fireBit != 0 }
    public var secondary: Bool { buttons & Self.secondaryBit != 0 }

    /// Clamps the move to the schema's -127...127 (the decoder already did) and quantizes the
    /// aim to the simulation's 16 bits, as `PlayerInput` would.
    public init(_ input: Input) {
        seq = input.seq
        // The simulation's angles are UInt16: a turn is 2^16, whatever the wire's resolution.
        aim = UInt16(truncatingIfNeeded: (try? Quantize.angle(input.aim, bits: UInt16.bitWidth)) ?? 0)
        viewTick = input.viewTick
        moveX = Int8(clamping: Swift.max(-127, Swift.min(127, input.moveX)))
        moveY = Int8(clamping: Swift.max(-127, Swift.min(127, input.moveY)))
        buttons = (input.fire ? Self.fireBit : 0) | (input.secondary ? Self.secondaryBit : 0)
    }

    /// The simulation's input when applied for tick `appliedFor`: `viewTick` becomes the lag the
    /// world compensates shots for (it caps it). A view tick ahead of the server's is no lag.
    func playerInput(appliedFor: UInt32) -> PlayerInput {
        let lag = UInt16(truncatingIfNeeded: appliedFor) &- viewTick
        return PlayerInput(
            moveX: moveX, moveY: moveY, aim: aim, fire: fire, secondary: secondary, lagTicks: lag >= 0x8000 ? 0 : UInt8(clamping: lag))
    }
}
