import NIOCore
import NIOPosix

/// Reusable buffers per event-loop thread, shared by the connections on that loop.
///
/// `send`: a snapshot is copied in, framed and written; with the socket writable, NIO writes it
/// out during the flush and drops its reference, so the next connection's `clear()` finds the
/// storage unique again and reuses it. A thousand sends per tick then allocate nothing, and no
/// connection holds a buffer of its own between ticks.
///
/// `received`: the frame parser unmasks a client message into it, straight from the read buffer,
/// for the duration of the `onMessage` call: no storage of its own per message or connection.
///
/// `control`: a ping, pong or close payload, unmasked, while it is handled.
///
/// Any buffer may still be referenced when reused (a write waiting for a full socket, an echo
/// reply): `clear()` then takes fresh storage (copy-on-write) and the old one stays valid.
/// @unchecked: each instance lives in a thread-specific slot and is used only on that thread.
final class LoopBuffers: @unchecked Sendable {
    var send: ByteBuffer
    var received: ByteBuffer
    var control: ByteBuffer
    private let allocator: ByteBufferAllocator

    private init(allocator: ByteBufferAllocator) {
        self.allocator = allocator
        self.send = allocator.buffer(capacity: 4096)
        self.received = allocator.buffer(capacity: 1024)
        self.control = allocator.buffer(capacity: 125)
    }

    /// After a big message (the echo endpoint takes 16 MiB), start small again rather than keep
    /// or re-allocate that much for every following message.
    func shrinkReceived() {
        if self.received.capacity > 64 * 1024 { self.received = self.allocator.buffer(capacity: 1024) }
    }

    private static let perThread = ThreadSpecificVariable<LoopBuffers>()

    /// The calling thread's buffers; call it on the connection's event loop.
    static func forCurrentThread(allocator: ByteBufferAllocator) -> LoopBuffers {
        perThread.value { LoopBuffers(allocator: allocator) }
    }
}
