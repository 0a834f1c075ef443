/// The secret that lets a dropped client come back as the same player (Protocol/README.md §7.1).
///
/// 128 bits from `SystemRandomNumberGenerator`, which is a CSPRNG on every platform Swift
/// supports (`getrandom(2)` on Linux, `arc4random_buf` on Apple platforms). A token is used
/// once: the room hands out a fresh one in every Welcome, including a resumed one, so a token
/// seen by someone else (a log, a shared screen) is worthless once its owner has resumed.
struct ResumeToken: Sendable {
    /// Always 16 bytes (the schema's `Token = bytes(16)`).
    let bytes: [UInt8]

    static func random() -> ResumeToken {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return ResumeToken(bytes: bytes)
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
