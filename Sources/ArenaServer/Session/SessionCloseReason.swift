import ArbiterProtocol

/// Why the server ends a session: the WebSocket close code and reason, and the `Kick` sent first
/// (Protocol/README.md, section 8 lists them all).
public struct SessionCloseReason: Sendable, Hashable, CustomStringConvertible {
    public var code: UInt16
    public var reason: String
    /// The Kick sent before the close frame; nil when the client is gone or closed first.
    public var kick: KickReason?

    public init(code: UInt16, reason: String, kick: KickReason?) {
        self.code = code
        self.reason = reason
        self.kick = kick
    }

    public var description: String { "\(code) \(reason)" }

    public static let shuttingDown = Self(code: 1001, reason: "server shutting down", kick: .shuttingDown)
    public static let roomFull = Self(code: 4001, reason: "room full", kick: .roomFull)
    public static let badName = Self(code: 4002, reason: "bad name", kick: .badName)
    public static let handshakeTimeout = Self(code: 4003, reason: "handshake timeout", kick: .handshakeTimeout)
    public static let slowClient = Self(code: 4005, reason: "slow client", kick: .slowClient)
    public static let unknownRoom = Self(code: 4006, reason: "unknown room", kick: .unknownRoom)
    public static let tooManyInputs = Self(code: 4007, reason: "too many inputs", kick: .tooManyInputs)
    /// The instance is draining (about to stop): the client should find another instance.
    public static let draining = Self(code: 4009, reason: "server draining", kick: .draining)

    /// A join without a valid ticket on a server with a join secret (section 7.3).
    public static func badTicket(_ failure: JoinTicket.Failure) -> Self {
        Self(code: 4008, reason: "bad ticket: \(failure.rawValue)", kick: .badTicket)
    }

    public static func protocolMismatch(serverHash: [UInt8], clientHash: [UInt8], serverVersion: UInt16, clientVersion: UInt16) -> Self {
        func short(_ hash: [UInt8]) -> String {
            hash.isEmpty ? "none" : hash.prefix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined() + "…"
        }
        let versions = serverVersion == clientVersion ? "" : " (version \(serverVersion) vs \(clientVersion))"
        return Self(code: 4000, reason: "protocol mismatch: server \(short(serverHash)), client \(short(clientHash))\(versions)", kick: .protocolMismatch)
    }

    /// A message that does not decode: 1007 for text that is not UTF-8, else 1002.
    public static func malformed(_ error: WireError) -> Self {
        error.isInvalidPayloadData
            ? Self(code: 1007, reason: "invalid UTF-8: \(error)", kick: .malformed)
            : Self(code: 1002, reason: "malformed message: \(error)", kick: .malformed)
    }

    public static func unexpected(_ message: String) -> Self {
        Self(code: 1002, reason: "unexpected \(message)", kick: .malformed)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
