import Foundation

/// Where the browser client served at `/` comes from (`--web-root`): found automatically,
/// a given folder, or nothing (a headless instance behind a CDN, most tests).
public enum WebRoot: Sendable, Hashable, CustomStringConvertible {
    /// The first of `searchPath` that holds an `index.html`; the server refuses to start when
    /// none does.
    case automatic
    case folder(String)
    case disabled

    /// The folder a release bundle ships beside the executable.
    public static let bundledFolderName = "arbiter-web"

    /// `auto`, `none` or a folder.
    public init(argument: String) {
        switch argument {
        case "auto", "": self = .automatic
        case "none": self = .disabled
        default: self = .folder(argument)
        }
    }

    public var description: String {
        switch self {
        case .automatic: "auto"
        case .folder(let path): path
        case .disabled: "none"
        }
    }

    /// Where `.automatic` looks, in order: `arbiter-web` beside the executable (a release
    /// bundle or container image), then the source tree this binary was built from (`swift run`,
    /// tests), whatever the working directory.
    public static func searchPath(executable: URL? = Bundle.main.executableURL) -> [String] {
        var folders: [String] = []
        if let executable {
            folders.append(
                executable.resolvingSymlinksInPath().deletingLastPathComponent()
                    .appendingPathComponent(Self.bundledFolderName).path)
        }
        // Sources/ArbiterServer/HTTP/WebRoot.swift -> the package root.
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders.append(packageRoot.appendingPathComponent("Clients/web").path)
        return folders
    }

    /// The folder to serve, nil when disabled. A configured folder must hold `index.html` too,
    /// so a typo fails at start rather than as 404s for every player.
    public func resolve(searchPath: [String] = Self.searchPath()) throws(ConfigurationError) -> String? {
        switch self {
        case .disabled:
            return nil
        case .folder(let path):
            guard Self.holdsClient(path) else {
                throw ConfigurationError("--web-root \(path) has no index.html (use --web-root none to serve no browser client)")
            }
            return path
        case .automatic:
            guard let found = searchPath.first(where: Self.holdsClient) else {
                throw ConfigurationError(
                    "browser client not found: looked for index.html in \(searchPath.joined(separator: ", ")); "
                        + "put the client in \(Self.bundledFolderName)/ beside the executable, "
                        + "or pass --web-root DIR (or --web-root none)")
            }
            return found
        }
    }

    private static func holdsClient(_ folder: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder + "/index.html", isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
