import ArbiterProtocol

/// The secret that lets a dropped client come back as the same player (Protocol/README.md §7.1).
///
/// 128 bits from `SystemRandomNumberGenerator`, which is a CSPRNG on every platform Swift
/// supports (`getrandom(2)` on Linux, `arc4random_buf` on Apple platforms). A token is used
/// once: the room hands out a fresh one in every Welcome, including a resumed one, so a token
/// seen by someone else (a log, a shared screen) is worthless once its owner has resumed.
struct ResumeToken: Sendable {
    /// Always `Token.maxCount` (16) bytes, the schema's `Token = bytes(16)`: 128 bits.
    let bytes: [UInt8]

    static func random() -> ResumeToken {
        var generator = SystemRandomNumberGenerator()
        return ResumeToken(bytes: (0..<Token.maxCount).map { _ in generator.next() as UInt8 })
    }

    /// Whether `candidate` is this token, in time that depends only on the candidate's length:
    /// every byte is compared, so a timing attacker learns nothing about how much matched.
    func matches(_ candidate: [UInt8]) -> Bool {
        guard candidate.count == bytes.count else { return false }
        var difference: UInt8 = 0
        for i in bytes.indices { difference |= bytes[i] ^ candidate[i] }
        return difference == 0
    }
}
