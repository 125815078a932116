import Foundation

/// One alert message: a condition of a date (or of a worker) that started or cleared. The
/// JSON body of webhooks and of alert commands' standard input (README "Alerts").
public struct Alert: Sendable, Codable, Hashable {
    /// What is wrong.
    public enum Condition: String, Sendable, Codable, CaseIterable {
        /// Coverage below the SLA after a run (the rules of `batch status`).
        case coverageSLA = "coverage_sla"
        /// The store was not ready for the date by the end of the watch window.
        case storeNotReady = "store_not_ready"
        /// The quality gate holds the date (average feature quality below the minimum).
        case qualityGate = "quality_gate"
        /// A worker has been unreachable longer than `--worker-down-alert`.
        case workerDown = "worker_down"
        /// The date's journal does not verify.
        case journalDamaged = "journal_damaged"
    }

    /// `firing` when the condition starts, `resolved` when it clears.
    public enum State: String, Sendable, Codable {
        case firing, resolved
    }

    public var state: State
    public var condition: Condition
    /// The date (or, for `worker_down`, the worker's address) the alert is about.
    public var subject: String
    /// What happened and what to do.
    public var message: String
    /// The coordinator's node id.
    public var coordinator: String
    /// When (ISO 8601, UTC).
    public var at: String
    /// One line for chat (Slack-compatible `text`).
    public var text: String

    public init(state: State, condition: Condition, subject: String, message: String, coordinator: String,
                at: Date = Date()) {
        self.state = state
        self.condition = condition
        self.subject = subject
        self.message = message
        self.coordinator = coordinator
        self.at = ISO8601DateFormatter().string(from: at)
        let mark = state == .firing ? "FIRING" : "RESOLVED"
        self.text = "[propcast \(mark)] \(condition.rawValue) \(subject): \(message) (coordinator \(coordinator))"
    }
}

/// Which alerts are firing, as a value: one alert per condition and subject until it clears,
/// then one "resolved" message.
public struct AlertBook: Sendable {
    private var firing: [Key: Alert] = [:]
    let coordinator: String

    struct Key: Hashable, Sendable {
        var condition: Alert.Condition
        var subject: String
    }

    public init(coordinator: String) { self.coordinator = coordinator }

    /// The alert to send when `condition` of `subject` starts; nil while it is already firing.
    public mutating func raise(_ condition: Alert.Condition, _ subject: String, _ message: String,
                               at moment: Date = Date()) -> Alert? {
        let key = Key(condition: condition, subject: subject)
        guard firing[key] == nil else { return nil }
        let alert = Alert(state: .firing, condition: condition, subject: subject, message: message,
                          coordinator: coordinator, at: moment)
        firing[key] = alert
        return alert
    }

    /// The "resolved" alert when `condition` of `subject` was firing; nil otherwise.
    public mutating func clear(_ condition: Alert.Condition, _ subject: String, _ message: String,
                               at moment: Date = Date()) -> Alert? {
        guard firing.removeValue(forKey: Key(condition: condition, subject: subject)) != nil else { return nil }
        return Alert(state: .resolved, condition: condition, subject: subject, message: message,
                     coordinator: coordinator, at: moment)
    }

    /// The alerts firing now, oldest first.
    public var active: [Alert] { firing.values.sorted { ($0.at, $0.subject) < ($1.at, $1.subject) } }
}
