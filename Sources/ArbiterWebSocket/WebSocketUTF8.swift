import NIOCore

/// UTF-8 checks for text messages and close reasons.
public enum WebSocketUTF8 {
    /// Through the standard library's validator (vectorised where the platform allows).
    public static func isValid(_ bytes: ByteBufferView) -> Bool {
        bytes.withContiguousStorageIfAvailable { String(validating: $0, as: UTF8.self) != nil }
            ?? (String(validating: bytes, as: UTF8.self) != nil)
    }

    /// Whether `bytes` is UTF-8 (all of it: a scalar cut at the end is invalid).
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.withMemoryRebound(to: UInt8.self) { String(validating: $0, as: UTF8.self) != nil }
    }

    /// The length of `bytes` without a last scalar that is cut short: a fragment of a text
    /// message may end inside one, and the rest is checked with the next fragment.
    public static func wholeScalarsLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        let count = bytes.count
        var back = 1
        while back <= min(4, count) {
            let byte = bytes[count - back]
            if byte & 0xC0 != 0x80 {  // ASCII or a lead byte: how long is its scalar?
                // A byte that starts no scalar (C0, C1, F5-FF) counts as whole: the check fails on it now.
                let length = byte < 0xC2 || byte > 0xF4 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                return length > back ? count - back : count
            }
            back += 1
        }
        return count
    }
}

extension String {
    /// The longest prefix of whole characters' bytes that fits `maxBytes` (a close reason's 123).
    public func utf8Prefix(maxBytes: Int) -> ArraySlice<UInt8> {
        let bytes = Array(self.utf8)
        guard bytes.count > maxBytes else { return bytes[...] }
        var end = maxBytes
        // Back off continuation bytes (10xxxxxx) so a scalar is never cut in half.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[..<end]
    }
}
