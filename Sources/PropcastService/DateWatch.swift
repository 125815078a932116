import PropcastModels

/// The watch of one date, as a value: from the window's opening it asks for a readiness check
/// every poll interval until the store is ready, then for a run; once the date is predicted it
/// asks for a refresh every refresh interval until the window closes; if the store never became
/// ready it asks, once, for the "store not ready" alert. Runs started by the API count the same
/// (``runStarted(now:)``, ``runEnded(predicted:now:)``). No I/O: the service performs the actions.
public struct DateWatch: Sendable, Hashable {
    /// What the service should do now.
    public enum Action: Sendable, Hashable {
        case none
        /// Check the store's readiness (then call ``readinessChecked(ready:)``).
        case checkReadiness
        /// Re-plan the predicted date and run it if anything changed.
        case refresh
        /// Raise the "store not ready by the end of the window" alert.
        case alertStoreNotReady
    }

    enum State: Sendable, Hashable {
        /// Not predicted yet; the last readiness check.
        case waiting(lastCheck: ContinuousClock.Instant?)
        /// A run is going.
        case running(wasPredicted: Bool)
        /// Predicted; the last time it was planned.
        case predicted(lastPlanned: ContinuousClock.Instant)
    }

    /// The watched date.
    public let date: GameDate
    let pollInterval: Duration
    let refreshInterval: Duration
    private(set) var state: State = .waiting(lastCheck: nil)
    private(set) var storeLateAlerted = false

    public init(date: GameDate, pollInterval: Duration, refreshInterval: Duration) {
        self.date = date
        self.pollInterval = pollInterval
        self.refreshInterval = refreshInterval
    }

    /// Whether the date has been predicted (a run finished) at least once.
    public var isPredicted: Bool {
        switch state {
        case .predicted: true
        case .running(let wasPredicted): wasPredicted
        case .waiting: false
        }
    }

    /// Whether a run of the date is going.
    public var isRunning: Bool { if case .running = state { true } else { false } }

    /// The clock ticked; `phase` is where now falls in the window.
    public mutating func tick(phase: WatchWindow.Phase, now: ContinuousClock.Instant) -> Action {
        switch (state, phase) {
        case (.running, _), (_, .before):
            return .none
        case (.waiting(let lastCheck), .inside):
            if let lastCheck, now - lastCheck < pollInterval { return .none }
            state = .waiting(lastCheck: now)
            return .checkReadiness
        case (.waiting, .after):
            guard !storeLateAlerted else { return .none }
            storeLateAlerted = true
            return .alertStoreNotReady
        case (.predicted(let lastPlanned), .inside):
            guard now - lastPlanned >= refreshInterval else { return .none }
            state = .predicted(lastPlanned: now)
            return .refresh
        case (.predicted, .after):
            return .none
        }
    }

    /// A readiness check ended: true when the run should start now.
    public func readinessChecked(ready: Bool) -> Bool {
        if case .waiting = state { return ready }
        return false
    }

    /// A run of the date started (by the watch, a refresh or the API).
    public mutating func runStarted() {
        state = .running(wasPredicted: isPredicted)
    }

    /// A run ended; `predicted` when it finished the date (coverage may still breach the SLA),
    /// false when it could not (no worker, store not ready, quality gate, stopped): the watch
    /// goes back to polling.
    public mutating func runEnded(predicted: Bool, now: ContinuousClock.Instant) {
        if predicted || isPredicted {
            state = .predicted(lastPlanned: now)
        } else {
            state = .waiting(lastCheck: now)
        }
    }
}
