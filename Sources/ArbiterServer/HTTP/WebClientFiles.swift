import Hummingbird
import Logging
import NIOPosix

/// The browser client's public files and nothing else from its folder: `index.html`,
/// `style.css` and the modules under `src/`. The client's tests and README sit in the same
/// folder (`Clients/web`) and are not served. Paths arrive percent-decoded and free of `..`
/// (Hummingbird's `FileMiddleware` checks both before asking).
struct WebClientFiles: FileProvider {
    typealias FileAttributes = LocalFileSystem.FileAttributes
    typealias FileIdentifier = LocalFileSystem.FileIdentifier

    private let files: LocalFileSystem

    init(rootFolder: String, logger: Logger) {
        self.files = LocalFileSystem(rootFolder: rootFolder, threadPool: .singleton, logger: logger)
    }

    /// `/` is public so that `FileMiddleware` can find `index.html` behind it.
    static func isPublic(_ path: String) -> Bool {
        switch path {
        case "/", "/index.html", "/style.css": true
        default: path.hasPrefix("/src/") && path.hasSuffix(".js") && !path.contains("\0")
        }
    }

    func getFileIdentifier(_ path: String) -> FileIdentifier? {
        Self.isPublic(path) ? self.files.getFileIdentifier(path) : nil
    }

    func getAttributes(id: FileIdentifier) async throws -> FileAttributes? {
        try await self.files.getAttributes(id: id)
    }

    func loadFile(id: FileIdentifier, context: some RequestContext) async throws -> ResponseBody {
        try await self.files.loadFile(id: id, context: context)
    }

    func loadFile(id: FileIdentifier, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        try await self.files.loadFile(id: id, range: range, context: context)
    }
}
