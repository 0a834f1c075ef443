import Foundation

/// The client side of the WebSocket upgrade (RFC 6455 §4.1) for raw sockets: the request, and the
/// check of the server's 101 response. Shared by the bench's load bots and arbiter-bot's lean
/// transport.
public enum LeanHandshake {
    /// RFC 6455's own example key, so the expected accept value is a constant and checking it
    /// needs no SHA-1 here (the key only proves the server speaks WebSocket, it is no secret).
    public static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    public static let expectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    /// A response header longer than this is refused (hostile or broken server).
    public static let maxResponseHeader = 8192

    public enum Response: Equatable {
        /// The header is not complete yet.
        case incomplete
        /// Upgraded; the header (with its blank line) takes this many bytes, frames follow it.
        case upgraded(headerBytes: Int)
        /// Not a 101 with the right accept value, or a header over `maxResponseHeader`.
        case refused(String)
    }

    /// The upgrade request for `target` (path and query) on `host` (the Host header's value).
    public static func request(target: String = "/play", host: String = "127.0.0.1") -> [UInt8] {
        Array(("GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
    }

    /// Reads the response at the start of `bytes`.
    public static func response(_ bytes: UnsafeRawBufferPointer) -> Response {
        guard let end = headerEnd(bytes) else {
            return bytes.count > maxResponseHeader ? .refused("response header over \(maxResponseHeader) bytes") : .incomplete
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        let lines = text.split(separator: "\r\n")
        let accept = lines.dropFirst().first { $0.lowercased().hasPrefix("sec-websocket-accept:") }
            .map { $0.dropFirst("sec-websocket-accept:".count).trimmingCharacters(in: .whitespaces) }
        guard lines.first?.hasPrefix("HTTP/1.1 101") == true, accept == expectedAccept else {
            return .refused(String(lines.first ?? "no status line"))
        }
        return .upgraded(headerBytes: end + 4)
    }

    private static func headerEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }
}
