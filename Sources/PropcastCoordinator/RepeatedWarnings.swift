/// Keeps a warning that repeats (a worker that stays unreachable while its link retries) to
/// one line per `interval` per subject: the first occurrence, a changed reason, or the first
/// one after the interval is said, with how many were held back since. No I/O.
struct RepeatedWarnings<Subject: Hashable & Sendable>: Sendable {
    private struct Said: Sendable {
        var reason: String
        var at: ContinuousClock.Instant
        var heldBack: Int
    }

    let interval: Duration
    private var said: [Subject: Said] = [:]

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether to say `reason` for `subject` now, and how many were held back before it.
    mutating func shouldSay(_ reason: String, for subject: Subject, now: ContinuousClock.Instant) -> (say: Bool, heldBack: Int) {
        guard var last = said[subject], last.reason == reason, now - last.at < interval else {
            let heldBack = said[subject]?.heldBack ?? 0
            said[subject] = Said(reason: reason, at: now, heldBack: 0)
            return (true, heldBack)
        }
        last.heldBack += 1
        said[subject] = last
        return (false, last.heldBack)
    }

    /// `subject` recovered: its next warning is said at once.
    mutating func reset(_ subject: Subject) {
        said[subject] = nil
    }
}
