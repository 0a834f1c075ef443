import NIOHTTP1

/// What a request head must satisfy before anything acts on it: sane version and target, an
/// unambiguous body length within the limit, and for a WebSocket upgrade the RFC 6455 §4.2.1
/// handshake and the origin allow-list. Pure; `HTTPRequestGuard` answers a refusal and closes.
struct HTTPRequestRules: Sendable {
    /// Why a request is refused: the status to answer, extra response headers, and a short
    /// name for the `arbiter_http_rejected_total` metric.
    struct Refusal: Error, Equatable {
        var status: HTTPResponseStatus
        var kind: String
        var headers: [(String, String)] = []

        static func == (lhs: Refusal, rhs: Refusal) -> Bool {
            lhs.status == rhs.status && lhs.kind == rhs.kind
                && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
        }
    }

    let maxBodyBytes: Int
    let origins: OriginPolicy

    init(maxBodyBytes: Int, allowedOrigins: [String]) {
        self.maxBodyBytes = maxBodyBytes
        self.origins = OriginPolicy(allowedOrigins: allowedOrigins)
    }

    func check(_ head: HTTPRequestHead) -> Refusal? {
        guard head.version == .http1_1 || head.version == .http1_0 else {
            return .init(status: .badRequest, kind: "bad_version")
        }
        guard Self.isValidTarget(head.uri) else { return .init(status: .badRequest, kind: "bad_target") }
        let headers = head.headers
        if head.version == .http1_1, headers[canonicalForm: "host"].count != 1 {
            return .init(status: .badRequest, kind: "bad_host")
        }
        let lengths = headers["content-length"]
        let isChunked = headers.contains(name: "transfer-encoding")
        if isChunked, !lengths.isEmpty { return .init(status: .badRequest, kind: "ambiguous_length") }
        if let length = lengths.first, (Int(length) ?? .max) > self.maxBodyBytes {
            return .init(status: .payloadTooLarge, kind: "body_too_large")
        }
        if Self.isWebSocketUpgrade(head) {
            return self.checkUpgrade(head, hasBody: isChunked || lengths.contains { $0 != "0" })
        }
        return nil
    }

    /// RFC 6455 §4.2.1: GET, HTTP/1.1, `Connection: Upgrade`, a 16-byte base64 key and version
    /// 13 (else 426 naming it, §4.4); then the origin (§10.2, 403).
    private func checkUpgrade(_ head: HTTPRequestHead, hasBody: Bool) -> Refusal? {
        let headers = head.headers
        guard head.method == .GET, head.version == .http1_1, !hasBody else {
            return .init(status: .badRequest, kind: "bad_upgrade")
        }
        guard headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "upgrade" }) else {
            return .init(status: .badRequest, kind: "bad_upgrade")
        }
        guard headers["sec-websocket-version"] == ["13"] else {
            return .init(status: .upgradeRequired, kind: "websocket_version", headers: [("Sec-WebSocket-Version", "13")])
        }
        let keys = headers["sec-websocket-key"]
        guard keys.count == 1, Self.isWebSocketKey(keys[0]) else {
            return .init(status: .badRequest, kind: "websocket_key")
        }
        let origins = headers["origin"]
        guard origins.count <= 1, self.origins.allows(origin: origins.first, host: headers.first(name: "host")) else {
            return .init(status: .forbidden, kind: "origin")
        }
        return nil
    }

    static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers["upgrade"].contains { $0.lowercased().contains("websocket") }
    }

    /// Origin-form (`/path?query`) or `*`, visible ASCII only (raw UTF-8 must be
    /// percent-encoded), and no encoded NUL (`%00`), which would cut a path short in C.
    static func isValidTarget(_ target: String) -> Bool {
        let bytes = target.utf8
        guard target == "*" || bytes.first == UInt8(ascii: "/") else { return false }
        guard bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { return false }
        return !bytes.indices.contains { index in
            bytes[index] == UInt8(ascii: "%") && bytes[index...].dropFirst().prefix(2).elementsEqual("00".utf8)
        }
    }

    /// Base64 of 16 bytes: 22 characters of the alphabet, then `==`.
    static func isWebSocketKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        return bytes[..<22].allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                true
            default: false
            }
        }
    }
}
