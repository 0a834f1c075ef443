@testable import ArbiterServer
import Testing

@Suite struct DrainStateMachineTests {
    typealias Machine = DrainStateMachine<ContinuousClock.Instant>
    let t0 = ContinuousClock.now

    @Test func aRequestStopsTakingPlayersAndEmptyRoomsClose() {
        var machine = Machine(timeout: .seconds(60))
        #expect(!machine.isDraining)
        #expect(machine.checked(playersLeft: 0, now: t0) == .none, "no drain, no close")
        #expect(machine.drainRequested(from: .request, now: t0) == .stopTakingPlayers)
        #expect(machine.isDraining)
        #expect(machine.checked(playersLeft: 3, now: t0 + .seconds(10)) == .none)
        #expect(machine.checked(playersLeft: 0, now: t0 + .seconds(12)) == .close(.empty, drained: .seconds(12)))
        #expect(machine.state == .closing(.empty))
        #expect(machine.checked(playersLeft: 0, now: t0 + .seconds(13)) == .none, "closes once")
    }

    @Test func theTimeoutClosesWhatIsLeft() {
        var machine = Machine(timeout: .seconds(60))
        _ = machine.drainRequested(from: .signal, now: t0)
        #expect(machine.checked(playersLeft: 5, now: t0 + .seconds(59)) == .none)
        #expect(machine.checked(playersLeft: 5, now: t0 + .seconds(60)) == .close(.timedOut, drained: .seconds(60)))
    }

    @Test func aSecondSignalCutsTheDrainShortButARequestDoesNot() {
        var machine = Machine(timeout: .seconds(60))
        #expect(machine.drainRequested(from: .request, now: t0) == .stopTakingPlayers)
        // Kubernetes' SIGTERM after an admin drain is the first signal: the drain goes on.
        #expect(machine.drainRequested(from: .signal, now: t0 + .seconds(1)) == .none)
        #expect(machine.drainRequested(from: .request, now: t0 + .seconds(2)) == .none)
        #expect(machine.drainRequested(from: .signal, now: t0 + .seconds(3)) == .close(.forced, drained: .seconds(3)))
        #expect(machine.drainRequested(from: .signal, now: t0 + .seconds(4)) == .none)
    }

    @Test func shutdownWithoutDrainClosesAtOnce() {
        var machine = Machine(timeout: .seconds(60))
        #expect(machine.shutdown(now: t0) == .close(.shutdown, drained: .zero))
        #expect(machine.isDraining, "a closing instance takes no players either")
        #expect(machine.drainRequested(from: .signal, now: t0) == .none)
    }
}

@Suite struct RoomIdleTrackerTests {
    let t0 = ContinuousClock.now

    @Test func onlyTrackedRoomsThatStayEmptyRetire() {
        var tracker = RoomIdleTracker<ContinuousClock.Instant>(timeout: .seconds(60))
        tracker.track(room: 2, now: t0)
        tracker.track(room: 3, now: t0)
        // Room 1 (created at start) is not tracked and never retires.
        let counts: [(room: Int, players: Int)] = [(1, 0), (2, 0), (3, 1)]
        #expect(tracker.observe(players: counts, now: t0 + .seconds(59)) == [])
        #expect(tracker.observe(players: counts, now: t0 + .seconds(60)) == [2])
        #expect(tracker.tracked == [3])
        // Room 3 was busy at 60 s: it has 60 s from there.
        let empty: [(room: Int, players: Int)] = [(1, 0), (3, 0)]
        #expect(tracker.observe(players: empty, now: t0 + .seconds(119)) == [])
        #expect(tracker.observe(players: empty, now: t0 + .seconds(120)) == [3])
    }

    /// A room handed to a connection counts as busy: its hello is still to come.
    @Test func aPickedRoomStartsItsIdleTimeAgain() {
        var tracker = RoomIdleTracker<ContinuousClock.Instant>(timeout: .seconds(10))
        tracker.track(room: 2, now: t0)
        tracker.picked(room: 2, now: t0 + .seconds(9))
        #expect(tracker.observe(players: [(2, 0)], now: t0 + .seconds(10)) == [])
        #expect(tracker.observe(players: [(2, 0)], now: t0 + .seconds(19)) == [2])
        tracker.picked(room: 7, now: t0)
        #expect(!tracker.tracked.contains(7), "picking does not make an untracked room retire")
    }
}
