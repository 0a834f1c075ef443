/// Why a WebSocket connection could not be made or had to be failed.
///
/// Compare with the static members (`error == .connectFailed`); `description` carries the detail
/// (address, HTTP status, underlying error) so a person reading a log knows what to fix.
public struct WebSocketClientError: Error, Hashable, CustomStringConvertible, Sendable {
    private enum Kind: Hashable, Sendable {
        case invalidAddress
        case unsupportedScheme
        case tlsFailed
        case connectFailed
        case handshakeFailed
        case upgradeRejected
        case timedOut
        case closedDuringHandshake
        case protocolViolation
        case messageTooLarge
        case unsupportedData
        case notOpen
        case transportError
    }

    private let kind: Kind
    /// Human-readable detail; not part of equality.
    public let detail: String

    private init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The address could not be parsed.
    public static let invalidAddress = Self(.invalidAddress, "")
    /// The address uses a scheme other than http, https, ws or wss.
    public static let unsupportedScheme = Self(.unsupportedScheme, "")
    /// `wss://`: the TLS handshake failed (certificate not trusted or not for this host, not a
    /// TLS server) or the TLS settings could not be loaded.
    public static let tlsFailed = Self(.tlsFailed, "")
    /// The TCP connection could not be established (refused, unreachable, name not resolved).
    public static let connectFailed = Self(.connectFailed, "")
    /// The server answered the upgrade with a bad or missing `Sec-WebSocket-Accept`, or broke HTTP.
    public static let handshakeFailed = Self(.handshakeFailed, "")
    /// The server answered the upgrade request with a normal HTTP response (404, 400, ...).
    public static let upgradeRejected = Self(.upgradeRejected, "")
    /// Connecting plus the upgrade handshake took longer than the configured timeout.
    public static let timedOut = Self(.timedOut, "")
    /// The peer closed the TCP connection before the upgrade completed.
    public static let closedDuringHandshake = Self(.closedDuringHandshake, "")
    /// The peer broke RFC 6455 (masked server frame, reserved bits, bad close frame, ...).
    public static let protocolViolation = Self(.protocolViolation, "")
    /// An incoming message exceeded `maxMessageSize`.
    public static let messageTooLarge = Self(.messageTooLarge, "")
    /// The peer sent a text message; the game protocol is binary only.
    public static let unsupportedData = Self(.unsupportedData, "")
    /// A send or close was attempted on a connection that is not open.
    public static let notOpen = Self(.notOpen, "")
    /// The TCP connection failed after it was established (reset, broken pipe).
    public static let transportError = Self(.transportError, "")

    /// The same kind of error with a detail message.
    func with(_ detail: String) -> Self { Self(self.kind, detail) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.kind) }

    public var description: String {
        let name: String
        switch self.kind {
        case .invalidAddress: name = "invalid address"
        case .unsupportedScheme: name = "unsupported scheme"
        case .tlsFailed: name = "TLS failed"
        case .connectFailed: name = "could not connect"
        case .handshakeFailed: name = "WebSocket handshake failed"
        case .upgradeRejected: name = "server refused the WebSocket upgrade"
        case .timedOut: name = "timed out connecting"
        case .closedDuringHandshake: name = "connection closed during the WebSocket handshake"
        case .protocolViolation: name = "WebSocket protocol violation"
        case .messageTooLarge: name = "incoming message too large"
        case .unsupportedData: name = "unsupported data"
        case .notOpen: name = "connection is not open"
        case .transportError: name = "connection lost"
        }
        return self.detail.isEmpty ? name : "\(name): \(self.detail)"
    }
}
