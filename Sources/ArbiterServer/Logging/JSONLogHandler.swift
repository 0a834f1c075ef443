import Foundation
import Logging
import NIOConcurrencyHelpers

/// How log lines look (`--log-format`): swift-log's text lines, or one JSON object per line
/// for log collectors (`{"ts":…,"level":…,"label":…,"message":…, metadata…}`).
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// A swift-log handler that writes one JSON object per line to a stream (standard error by
/// default). Metadata keys become top-level fields (nested metadata as objects), after `ts`,
/// `level`, `label`, `message` and `source`, which metadata cannot override.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = self.metadata
        if let provided = self.metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let own = event.metadata { fields.merge(own) { _, new in new } }
        var object: [String: Any] = fields.mapValues(Self.json)
        object["ts"] = Self.timestamp()
        object["level"] = event.level.rawValue
        object["label"] = self.label
        object["message"] = event.message.description
        object["source"] = event.source
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        self.write(String(decoding: data, as: UTF8.self) + "\n")
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let dictionary): dictionary.mapValues(json)
        }
    }

    /// RFC 3339 UTC with milliseconds.
    private static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }

    /// Writes a whole line at once, so lines from several threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    private static let lock = NIOLock()
}

extension LoggingSystem {
    /// Sets up the process's logging once: `format` at `level` on standard error.
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
