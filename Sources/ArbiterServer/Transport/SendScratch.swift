import NIOCore
import NIOPosix

/// One outgoing buffer per event-loop thread, shared by the connections on that loop.
///
/// A snapshot is copied in, framed and written; with the socket writable, NIO writes it out
/// during the flush and drops its reference, so the next connection's `clear()` finds the
/// storage unique again and reuses it. A thousand sends per tick then allocate nothing, and no
/// connection holds a buffer of its own between ticks.
/// @unchecked: each instance lives in a thread-specific slot and is used only on that thread.
final class SendScratch: @unchecked Sendable {
    var buffer: ByteBuffer

    private init(allocator: ByteBufferAllocator) {
        self.buffer = allocator.buffer(capacity: 4096)
    }

    private static let perThread = ThreadSpecificVariable<SendScratch>()

    /// The calling thread's scratch; call it on the connection's event loop.
    static func forCurrentThread(allocator: ByteBufferAllocator) -> SendScratch {
        if let existing = perThread.currentValue { return existing }
        let created = SendScratch(allocator: allocator)
        perThread.currentValue = created
        return created
    }
}
