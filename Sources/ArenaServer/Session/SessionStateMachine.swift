import ArbiterProtocol

/// One client's session, as a pure state machine: awaiting hello → joining → playing → closed.
///
/// It decides, the caller acts: every event returns an `Action` that the connection code
/// carries out (join the room, forward an input, answer a ping, close). No sockets, clocks or
/// rooms in here, so every path is tested without them (swift-websocket's
/// `WebSocketStateMachine` style).
public struct SessionStateMachine: Sendable {
    public enum State: Sendable, Equatable {
        case awaitingHello
        /// Hello accepted; the room is adding (or resuming) the player.
        case joining
        case playing(player: UInt32)
        case closed
    }

    public enum Action: Sendable, Equatable {
        case none
        /// `ticket` is `Hello.ticket`, checked by the caller when the server requires one.
        case join(name: String, resumeToken: [UInt8]?, ticket: [UInt8]?)
        case applyInput(Input)
        case sendPong(Pong)
        /// Send the Kick (if any), close the socket with this code and reason, leave the room.
        case close(SessionCloseReason)
    }

    public private(set) var state: State = .awaitingHello
    private let schemaHash: [UInt8]
    private let version: UInt16

    public init(schemaHash: [UInt8] = ArenaProtocol.schemaHash, version: UInt16 = ArenaProtocol.version) {
        self.schemaHash = schemaHash
        self.version = version
    }

    /// A message that decoded.
    public mutating func received(_ message: ClientMessage, currentTick: UInt32) -> Action {
        switch (state, message) {
        case (.awaitingHello, .hello(let hello)):
            guard hello.protocolVersion == version, hello.schemaHash == schemaHash else {
                return close(.protocolMismatch(serverHash: schemaHash, clientHash: hello.schemaHash, serverVersion: version, clientVersion: hello.protocolVersion))
            }
            guard let name = NamePolicy.validated(hello.name) else { return close(.badName) }
            state = .joining
            return .join(name: name, resumeToken: hello.resumeToken, ticket: hello.ticket)
        case (.awaitingHello, _):
            return close(.unexpected("message before Hello"))
        case (.joining, .ping(let ping)), (.playing, .ping(let ping)):
            return .sendPong(Pong(nonce: ping.nonce, clientTime: ping.clientTime, tick: currentTick))
        case (.joining, .input):
            return .none  // sent before the client saw Welcome: nothing to apply it to yet
        case (.playing, .input(let input)):
            return .applyInput(input)
        case (.joining, .hello), (.playing, .hello):
            return close(.unexpected("second Hello"))
        case (.closed, _):
            return .none
        }
    }

    /// A message that did not decode: the error names what and at which bit.
    public mutating func receivedMalformed(_ error: WireError) -> Action {
        guard state != .closed else { return .none }
        return close(.malformed(error))
    }

    public mutating func handshakeTimedOut() -> Action {
        guard state == .awaitingHello else { return .none }
        return close(.handshakeTimeout)
    }

    /// The room added (or resumed) the player: the caller sends Welcome and MapInfo.
    public mutating func joined(player: UInt32) -> Action {
        guard state == .joining else { return .none }
        state = .playing(player: player)
        return .none
    }

    public mutating func joinRefused(_ reason: SessionCloseReason) -> Action {
        guard state == .joining else { return .none }
        return close(reason)
    }

    /// The server closes the session (shutdown, slow client).
    public mutating func serverClosed(_ reason: SessionCloseReason) -> Action {
        guard state != .closed else { return .none }
        return close(reason)
    }

    /// The socket is gone (the peer closed it or it failed): nothing to send any more.
    public mutating func connectionClosed() {
        state = .closed
    }

    private mutating func close(_ reason: SessionCloseReason) -> Action {
        state = .closed
        return .close(reason)
    }
}
