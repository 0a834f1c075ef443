import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore

/// A room's presence on one event loop: the loop's members of that room, and at most one
/// outstanding delivery task.
///
/// The room thread only swaps in the newest frame and, if no task is queued, queues one. A loop
/// that is still busy with an older frame therefore never accumulates tasks: queuing one task
/// per tick while the fan-out overran starved socket I/O in the measurements (the loop drains
/// its whole task queue before it polls sockets again). Each task delivers one frame, then
/// re-queues itself if a newer one arrived, so the loop polls its sockets between frames.
final class LoopFanOut<Frame: Sendable>: @unchecked Sendable {
    // @unchecked: `members` is only touched on `loop` (asserted); the rest is under `lock`.
    let loop: any EventLoop
    private let lock = NIOLock()
    private var pending: Frame?
    private var scheduled = false
    private var memberCount = 0
    private var members: [any RoomMember<Frame>] = []
    private let superseded: CoreMetrics.Counter

    init(loop: any EventLoop, superseded: CoreMetrics.Counter) {
        self.loop = loop
        self.superseded = superseded
    }

    /// On `loop`. Frames published from now on reach `member`.
    func attach(_ member: any RoomMember<Frame>) {
        self.loop.preconditionInEventLoop()
        self.members.append(member)
        self.lock.withLock { self.memberCount = self.members.count }
    }

    /// On `loop`.
    func detach(_ member: any RoomMember<Frame>) {
        self.loop.preconditionInEventLoop()
        guard let index = self.members.firstIndex(where: { $0 === member }) else { return }
        self.members.swapAt(index, self.members.count - 1)
        self.members.removeLast()
        self.lock.withLock { self.memberCount = self.members.count }
    }

    /// From the room thread: hand the newest frame to this loop without ever waiting for it.
    func publish(_ frame: Frame) {
        let (schedule, dropped) = self.lock.withLock { () -> (Bool, Int) in
            guard self.memberCount > 0 else {
                self.pending = nil
                return (false, 0)
            }
            let dropped = self.pending == nil ? 0 : self.memberCount
            self.pending = frame
            guard !self.scheduled else { return (false, dropped) }
            self.scheduled = true
            return (true, dropped)
        }
        if dropped > 0 { self.superseded.increment(by: dropped) }
        if schedule { self.loop.execute { self.deliverNewest() } }
    }

    private func deliverNewest() {
        let frame = self.lock.withLock { () -> Frame? in
            defer { self.pending = nil }
            return self.pending
        }
        if let frame {
            for member in self.members { member.deliver(frame) }
        }
        let again = self.lock.withLock { () -> Bool in
            if self.pending != nil { return true }
            self.scheduled = false
            return false
        }
        if again { self.loop.execute { self.deliverNewest() } }
    }
}
