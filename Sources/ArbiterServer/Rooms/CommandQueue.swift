import NIOConcurrencyHelpers

/// Loops push, the room thread swaps the whole array out at tick start: one short lock per
/// push and per tick, and no allocation once both arrays have grown to their working size.
public final class CommandQueue<Command: Sendable>: Sendable {
    private let pending: NIOLockedValueBox<[Command]>
    /// Bounds memory whatever clients send: past it, droppable pushes fail (count them as
    /// rejected). Commands that must not be lost (a join, a leave) are bounded by the number
    /// of connections instead, and always go in: under overload, inputs filled the queue and a
    /// join was refused as "room full" in the 500-client measurements.
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
        self.pending = NIOLockedValueBox([])
    }

    /// False when the queue is full and `droppable`; the command was dropped.
    @discardableResult
    public func push(_ command: Command, droppable: Bool = true) -> Bool {
        self.pending.withLockedValue { pending in
            guard pending.count < self.limit || !droppable else { return false }
            pending.append(command)
            return true
        }
    }

    /// Exchanges the queued commands with `buffer`, which must be empty (keep its capacity).
    package func swap(into buffer: inout [Command]) {
        precondition(buffer.isEmpty)
        self.pending.withLockedValue { Swift.swap(&$0, &buffer) }
    }
}
