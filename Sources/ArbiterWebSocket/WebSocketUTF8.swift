import NIOCore

/// UTF-8 checks for text messages and close reasons.
public enum WebSocketUTF8 {
    /// Through the standard library's validator (vectorised where the platform allows).
    public static func isValid(_ bytes: ByteBufferView) -> Bool {
        bytes.withContiguousStorageIfAvailable { String(validating: $0, as: UTF8.self) != nil }
            ?? (String(validating: bytes, as: UTF8.self) != nil)
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
