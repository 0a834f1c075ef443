import ArbiterProtocol
import Crypto
import Foundation  // base64

/// A signed permission to join, minted by the game's backend (or `arbiter-server ticket`) with
/// the secret it shares with the server (`--join-secret`): which player (by name), which room
/// (or any), until when. Carried in `Hello.ticket`; the format is Protocol/README.md §7.3:
///
///     version (1 byte, 1) · expires (8, Unix seconds, big-endian) · room (4, big-endian, 0 = any)
///     · name length L (1) · name (L bytes of UTF-8) · HMAC-SHA256(secret, all the bytes before)
public struct JoinTicket: Sendable, Equatable {
    public static let version: UInt8 = 1
    static let macSize = 32
    /// The schema's `Hello.ticket: bytes(64)?`: the header, a 15-byte name and the MAC fit.
    public static let maxSize = Hello.Limits.ticket

    /// Already valid under `NamePolicy` (it is compared with the validated `Hello.name`).
    public var name: String
    /// nil: any room.
    public var room: UInt32?
    /// Unix time in seconds; the ticket is refused from this second on.
    public var expires: UInt64

    public init(name: String, room: UInt32?, expires: UInt64) {
        self.name = name
        self.room = room
        self.expires = expires
    }

    /// Why a ticket is refused; the text ends the close reason `bad ticket: <text>`.
    public enum Failure: String, Error, Sendable, CaseIterable {
        case missing = "missing"
        case malformed = "malformed"
        case badSignature = "bad signature"
        case expired = "expired"
        case wrongName = "wrong name"
        case wrongRoom = "wrong room"
    }

    /// Unix time in whole seconds, what `expires` is compared with.
    public static func now() -> UInt64 { UInt64(Swift.max(0, Date().timeIntervalSince1970)) }

    /// What `arbiter-server ticket` prints: a ticket for `name` (the policy's form of it; nil if
    /// the name breaks the policy) valid `ttl` seconds from `now`, signed and in base64url.
    public static func mint(secret: [UInt8], name: String, room: UInt32?, ttl: UInt64, now: UInt64 = JoinTicket.now()) -> String? {
        guard let name = NamePolicy.validated(name) else { return nil }
        let ticket = JoinTicket(name: name, room: room, expires: now + ttl)
        return base64URL(ticket.signed(with: SymmetricKey(data: secret)))
    }

    /// The ticket's bytes, signed with `secret`.
    public func signed(with secret: SymmetricKey) -> [UInt8] {
        var bytes: [UInt8] = [Self.version]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: expires >> UInt64(shift))) }
        let roomValue = room ?? 0
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: roomValue >> UInt32(shift))) }
        bytes.append(UInt8(name.utf8.count))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: HMAC<SHA256>.authenticationCode(for: bytes, using: secret))
        return bytes
    }

    /// Checks, in this order: the layout and version, the signature (in constant time), the
    /// expiry against `now` (Unix seconds), the name, the room.
    public static func verify(
        _ bytes: [UInt8]?, secret: SymmetricKey, name: String, room: Int, now: UInt64
    ) -> Result<JoinTicket, Failure> {
        guard let bytes else { return .failure(.missing) }
        guard bytes.count >= 14 + macSize, bytes[0] == version, Int(bytes[13]) == bytes.count - 14 - macSize else {
            return .failure(.malformed)
        }
        let signedPart = bytes[..<(bytes.count - macSize)]
        guard HMAC<SHA256>.isValidAuthenticationCode(bytes[(bytes.count - macSize)...], authenticating: signedPart, using: secret) else {
            return .failure(.badSignature)
        }
        let expires = bytes[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let ticketRoom = bytes[9..<13].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let ticketName = String(validating: bytes[14..<(bytes.count - macSize)], as: UTF8.self) else {
            return .failure(.malformed)
        }
        guard now < expires else { return .failure(.expired) }
        guard ticketName == name else { return .failure(.wrongName) }
        guard ticketRoom == 0 || Int(ticketRoom) == room else { return .failure(.wrongRoom) }
        return .success(JoinTicket(name: ticketName, room: ticketRoom == 0 ? nil : ticketRoom, expires: expires))
    }
}

extension JoinTicket {
    /// Base64url without padding (RFC 4648 §5): how a ticket travels outside the wire, in a page
    /// URL's fragment (`#ticket=`) and on `arbiter-server ticket`'s output.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of a base64url text (padding optional); nil if it is not base64url.
    public static func bytes(base64URL text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }
}
