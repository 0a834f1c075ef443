import ArbiterProtocol
import ArenaServer
import Testing

@Suite struct SessionStateMachineTests {
    func hello(name: String = "Ada", hash: [UInt8] = ArenaProtocol.schemaHash, version: UInt16 = ArenaProtocol.version, token: [UInt8]? = nil) -> ClientMessage {
        .hello(Hello(protocolVersion: version, schemaHash: hash, name: name, resumeToken: token))
    }

    @Test func helloJoinsThenInputsAndPingsFlow() {
        var s = SessionStateMachine()
        #expect(s.received(hello(token: [1, 2]), currentTick: 5) == .join(name: "Ada", resumeToken: [1, 2], ticket: nil))
        #expect(s.state == .joining)
        let input = Input(seq: 1, moveX: 1, moveY: 0, aim: 0, fire: false, secondary: false)
        #expect(s.received(.input(input), currentTick: 5) == .none)
        #expect(s.joined(player: 7) == .none)
        #expect(s.state == .playing(player: 7))
        #expect(s.received(.input(input), currentTick: 6) == .applyInput(input))
        #expect(s.received(.ping(Ping(nonce: 9, clientTime: 1234)), currentTick: 6) == .sendPong(Pong(nonce: 9, clientTime: 1234, tick: 6)))
    }

    @Test func schemaHashMismatchIsRefusedWithAReadableReason() {
        var s = SessionStateMachine()
        let other = [UInt8](repeating: 0x9c, count: 32)
        guard case .close(let reason) = s.received(hello(hash: other), currentTick: 0) else {
            Issue.record("mismatch accepted")
            return
        }
        #expect(reason.code == 4000)
        #expect(reason.kick == .protocolMismatch)
        let serverPrefix = ArenaProtocol.schemaHashHex.prefix(8)
        #expect(reason.reason == "protocol mismatch: server \(serverPrefix)…, client 9c9c9c9c…")
        #expect(s.state == .closed)
    }

    @Test func versionMismatchIsRefused() {
        var s = SessionStateMachine()
        guard case .close(let reason) = s.received(hello(version: 99), currentTick: 0) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.code == 4000 && reason.reason.contains("version 1 vs 99"))
    }

    @Test(arguments: ["", "   ", "bad\u{7}name", "a name way too long here"])
    func invalidNamesAreRefused(name: String) {
        var s = SessionStateMachine()
        #expect(s.received(hello(name: name), currentTick: 0) == .close(.badName))
    }

    @Test func theNameJoinedWithIsThePolicysName() {
        var s = SessionStateMachine()
        #expect(s.received(hello(name: "  Zoe\u{301} "), currentTick: 0) == .join(name: "Zo\u{E9}", resumeToken: nil, ticket: nil))
    }

    @Test func theTicketIsPassedOn() {
        var s = SessionStateMachine()
        let hello = Hello(protocolVersion: ArenaProtocol.version, schemaHash: ArenaProtocol.schemaHash, name: "Ada", ticket: [9, 8])
        #expect(s.received(.hello(hello), currentTick: 0) == .join(name: "Ada", resumeToken: nil, ticket: [9, 8]))
    }

    @Test func anythingBeforeHelloIsAProtocolError() {
        var s = SessionStateMachine()
        guard case .close(let reason) = s.received(.ping(Ping(nonce: 1, clientTime: 0)), currentTick: 0) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.code == 1002)
    }

    @Test func malformedMessagesCloseWith1002Or1007NamingTheError() {
        var a = SessionStateMachine()
        guard case .close(let truncated) = a.receivedMalformed(.truncated(at: 40)) else { Issue.record("no close"); return }
        #expect(truncated.code == 1002 && truncated.reason == "malformed message: truncated message at bit 40")
        var b = SessionStateMachine()
        guard case .close(let utf8) = b.receivedMalformed(.invalidUTF8(at: 12)) else { Issue.record("no close"); return }
        #expect(utf8.code == 1007)
    }

    @Test func handshakeTimeoutOnlyBeforeHello() {
        var s = SessionStateMachine()
        _ = s.received(hello(), currentTick: 0)
        #expect(s.handshakeTimedOut() == .none)
        var t = SessionStateMachine()
        #expect(t.handshakeTimedOut() == .close(.handshakeTimeout))
        #expect(t.handshakeTimedOut() == .none)
    }

    @Test func closedSessionsIgnoreEverything() {
        var s = SessionStateMachine()
        _ = s.received(hello(), currentTick: 0)
        _ = s.joined(player: 1)
        #expect(s.serverClosed(.shuttingDown) == .close(.shuttingDown))
        #expect(s.received(.input(Input()), currentTick: 1) == .none)
        #expect(s.serverClosed(.slowClient) == .none)
    }
}
