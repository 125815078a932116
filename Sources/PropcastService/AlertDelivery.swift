import Foundation
import Logging
import PropcastHTTP

/// Sends alerts to the configured webhook and command, each delivery in a task of its own,
/// retried with doubling back-off, logged when it lands and when it is given up.
public actor AlertDelivery {
    private let destinations: AlertDestinations
    private let webhook: HTTPPost?
    private let logger: Logger
    private let metrics: ServiceMetrics
    private var deliveries: [Task<Void, Never>] = []

    /// - Throws: ``HTTPError`` `.unsupportedURL` for a webhook URL that cannot be sent to.
    public init(destinations: AlertDestinations, metrics: ServiceMetrics, logger: Logger) throws {
        self.destinations = destinations
        self.webhook = try destinations.webhook.map { try HTTPPost(url: $0) }
        self.metrics = metrics
        self.logger = logger
    }

    /// Logs `alert` and starts its deliveries.
    public func send(_ alert: Alert) {
        let metadata: Logger.Metadata = ["condition": "\(alert.condition.rawValue)", "subject": "\(alert.subject)",
                                         "state": "\(alert.state.rawValue)"]
        if alert.state == .firing {
            logger.error("alert: \(alert.message)", metadata: metadata)
        } else {
            logger.notice("alert resolved: \(alert.message)", metadata: metadata)
        }
        metrics.alertRaised(alert)
        let body: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = Array(try encoder.encode(alert))
        } catch {
            logger.error("alert cannot be encoded", metadata: ["error": "\(error)"])
            return
        }
        deliveries.removeAll { $0.isCancelled }
        if let webhook {
            deliveries.append(Task { await deliver(alert, to: "webhook \(webhook.url)") { try await Self.post(body, webhook) } })
        }
        if let command = destinations.command {
            deliveries.append(Task { await deliver(alert, to: "command") { try await Self.run(command, body: body, alert: alert) } })
        }
    }

    /// Waits for the deliveries under way (tests, shutdown).
    public func waitForDeliveries() async {
        for delivery in deliveries { await delivery.value }
        deliveries.removeAll()
    }

    private nonisolated func deliver(_ alert: Alert, to destination: String, attempt send: @Sendable () async throws -> Void) async {
        var backoff = destinations.firstBackoff
        for attempt in 1...destinations.attempts {
            do {
                try await send()
                logger.info("alert delivered", metadata: ["to": "\(destination)", "condition": "\(alert.condition.rawValue)",
                                                          "subject": "\(alert.subject)", "attempt": "\(attempt)"])
                metrics.alertDelivered(success: true)
                return
            } catch {
                let last = attempt == destinations.attempts
                logger.warning(last ? "alert delivery given up" : "alert delivery failed; retrying",
                               metadata: ["to": "\(destination)", "attempt": "\(attempt)", "error": "\(error)",
                                          "retry_in": "\(last ? "-" : "\(backoff)")"])
                if last { break }
                try? await Task.sleep(for: backoff)
                backoff = backoff * 2
            }
        }
        metrics.alertDelivered(success: false)
    }

    private static func post(_ body: [UInt8], _ webhook: HTTPPost) async throws {
        let status = try await webhook.send(body)
        guard (200..<300).contains(status) else {
            throw HTTPError(.requestFailed, "POST \(webhook.url) answered \(status)")
        }
    }

    /// Runs `command` with `/bin/sh -c`, the alert's JSON on standard input.
    private static func run(_ command: String, body: [UInt8], alert: Alert) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["PROPCAST_ALERT_STATE"] = alert.state.rawValue
        environment["PROPCAST_ALERT_CONDITION"] = alert.condition.rawValue
        environment["PROPCAST_ALERT_SUBJECT"] = alert.subject
        environment["PROPCAST_ALERT_TEXT"] = alert.text
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            try? input.fileHandleForWriting.write(contentsOf: Data(body))
            try? input.fileHandleForWriting.close()
        }
        guard status == 0 else {
            throw HTTPError(.requestFailed, "alert command exited \(status): \(command)")
        }
    }
}
