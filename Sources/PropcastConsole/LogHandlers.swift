import Foundation
import Logging

/// How log lines are written: swift-log's readable text, or one JSON object per line.
public enum LogFormat: String, CaseIterable, Sendable {
    /// `2026-12-02T05:01:02.345Z warning propcast.batch: worker=10.0.0.5:7420 message`.
    case text
    /// `{"label":"propcast.batch","level":"info","message":"…","metadata":{"worker":"10.0.0.5:7420"},
    /// "source":"PropcastCoordinator","ts":"2026-12-02T05:01:02.345Z"}` — keys sorted, for log collectors.
    case json

    /// Sends every logger of the process to stderr at `level` in this format (call once).
    public func bootstrap(level: Logger.Level) {
        let format = self
        LoggingSystem.bootstrap { label in
            var handler = ConsoleLogHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
    }
}

/// A swift-log handler writing one line per event to stderr in a ``LogFormat``, whole,
/// through ``StderrLines``: lines of concurrent events never mix and a progress bar is
/// redrawn under them.
public struct ConsoleLogHandler: LogHandler {
    public let label: String
    public let format: LogFormat
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, format: LogFormat) {
        self.label = label
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        guard let line = format == .json ? jsonLine(event, merged) : textLine(event, merged) else { return }
        StderrLines.shared.write(line: line)
    }

    private func textLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> String? {
        let fields = metadata.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        return "\(Self.timestamp()) \(event.level) \(label):\(fields) \(event.message)"
    }

    private func jsonLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> String? {
        var object: [String: Any] = [
            "ts": Self.timestamp(), "level": event.level.rawValue, "label": label,
            "message": event.message.description, "source": event.source,
        ]
        if !metadata.isEmpty { object["metadata"] = metadata.mapValues(Self.plain) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
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

    /// UTC with milliseconds, e.g. `2026-12-02T05:01:02.345Z`.
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
