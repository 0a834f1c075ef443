import ArbiterProtocol
import NIOPosix

/// One reusable encoder per event loop, shared by the sessions on that loop (they run one at a
/// time there), so a thousand sessions do not each hold a writer.
/// @unchecked: each instance lives in a thread-specific slot and is used only on that thread.
final class EncoderScratch: @unchecked Sendable {
    private static let perThread = ThreadSpecificVariable<EncoderScratch>()

    /// The calling thread's scratch; call it on the session's event loop.
    static func forCurrentThread() -> EncoderScratch {
        perThread.value { EncoderScratch() }
    }

    var writer = BitWriter(capacity: 16 * 1024)
    var view = ArenaFrame.ViewScratch()
    /// The snapshot being built; each session keeps only a compact copy once it is written.
    var building = Snapshot()
}
