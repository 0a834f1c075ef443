extension RawSocketClient {
    /// The first close frame within `timeout`; nil if the connection ended without one.
    func waitForClose(timeout: Duration = .seconds(5)) async throws -> (code: UInt16, reason: String)? {
        try await withTimeout(timeout) {
            for await event in self.events {
                if let close = event.close { return close }
                if event == .closed { return nil }
            }
            return nil
        }
    }

    /// Counts binary frames until `duration` has passed or the connection ends.
    func countBinaryFrames(for duration: Duration) async -> Int {
        let counter = FrameCounter()
        _ = try? await withTimeout(duration) {
            for await event in self.events {
                if case .frame(0x2, _) = event { await counter.add() }
                if event == .closed { break }
            }
        }
        return await counter.count
    }

    /// The next binary or text frame's payload within `timeout`.
    func nextMessage(timeout: Duration = .seconds(5)) async throws -> (opcode: UInt8, payload: [UInt8]) {
        try await withTimeout(timeout) {
            for await event in self.events {
                if case .frame(let opcode, let payload) = event, opcode == 0x1 || opcode == 0x2 || opcode == 0xA {
                    return (opcode, payload)
                }
                if event == .closed { break }
            }
            throw TestFailure("connection ended without a message")
        }
    }

    /// Waits for the TCP connection to end.
    func waitUntilClosed(timeout: Duration = .seconds(5)) async throws {
        try await withTimeout(timeout) {
            for await event in self.events where event == .closed { return }
        }
    }
}

actor FrameCounter {
    var count = 0
    func add() { self.count += 1 }
}

/// Runs `body`, failing with a `TestFailure` after `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TestFailure("timed out after \(timeout)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
