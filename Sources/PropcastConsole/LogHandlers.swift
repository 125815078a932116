import Foundation
import Logging

/// A swift-log handler writing one JSON object per event to stderr, for log collectors:
/// `{"ts":"2026-12-02T05:01:02.345Z","level":"info","label":"propcast.batch","message":"…",
/// "metadata":{"worker":"10.0.0.5:7420"},"source":"PropcastCoordinator"}` — keys sorted, one
/// line per event, written whole through ``StderrLines`` so lines of concurrent events never mix and a
/// progress bar is redrawn under them.
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var object: [String: Any] = [
            "ts": Self.timestamp(), "level": event.level.rawValue, "label": label,
            "message": event.message.description, "source": event.source,
        ]
        if !merged.isEmpty { object["metadata"] = merged.mapValues(Self.plain) }
        guard let line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        StderrLines.shared.write(line: String(decoding: line, as: UTF8.self))
    }

    /// Metadata as JSON values: strings, arrays and objects.
    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(now.tv_nsec / 1_000_000))
    }
}

/// swift-log's readable line format (`2026-12-02T05:01:02.345Z warning propcast.batch: worker=… message`),
/// written through ``StderrLines`` so a progress bar is redrawn under it.
public struct TextLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        StderrLines.shared.write(line: "\(JSONLogHandler.timestamp()) \(event.level) \(label):\(fields) \(event.message)")
    }
}

/// How log lines are written: swift-log's readable text, or one JSON object per line.
public enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json

    /// Sends every logger of the process to stderr at `level` in this format (call once).
    public func bootstrap(level: Logger.Level) {
        let format = self
        LoggingSystem.bootstrap { name in
            switch format {
            case .text:
                var handler = TextLogHandler(label: name)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: name)
                handler.logLevel = level
                return handler
            }
        }
    }
}
