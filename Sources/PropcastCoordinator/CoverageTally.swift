import PropcastJournal
import PropcastModels

/// Where one expected player stands for coverage.
public enum CoverageVerdict: Sendable, Hashable {
    /// Every row its inputs call for (minus systems skipped on those inputs) is current.
    case covered
    /// Skipped as a whole on these inputs, with the reasons.
    case skipped(String)
    /// Its attempts ran out, with the last reason.
    case failed(String)
    /// Neither: not answered yet, or only partly journaled (the reason says which).
    case missing(String)

    /// The verdict the journal's `index` gives for `expected`'s player.
    public init(_ expected: ExpectedPredictions, index: JournalIndex) {
        let player = expected.player
        let wanted = index.wantedIDs(expected)
        if !wanted.isEmpty, wanted.allSatisfy(index.isCurrent) {
            self = .covered
        } else if let skip = index.skippedPlayers[player], skip.inputFingerprint == expected.inputFingerprint {
            self = .skipped(skip.reasons.joined(separator: "; "))
        } else if let failure = index.failedPlayers[player] {
            self = .failed(Self.failedReason(attempts: failure.attempts, lastReason: failure.lastReason))
        } else {
            let journaled = wanted.filter(index.isCurrent).count
            let partial = index.currentCounts[player] == nil ? nil : "\(journaled) of \(wanted.count) rows journaled"
            let attempt = index.failedAttempts[player].map { "last attempt: \($0.reason)" }
            self = .missing([partial ?? "not answered", attempt].compactMap { $0 }.joined(separator: "; "))
        }
    }

    /// The reason of a failed player, as coverage reports it.
    public static func failedReason(attempts: Int, lastReason: String) -> String {
        "failed after \(attempts) attempts: \(lastReason)"
    }
}

/// Coverage verdicts added up player by player: a batch records each player's verdict when it
/// leaves the batch (covered, skipped, failed), so it need not keep every player's expected
/// rows until the end.
public struct CoverageTally: Sendable, Hashable {
    /// Players with a verdict.
    public private(set) var players = 0
    /// Covered players.
    public private(set) var covered = 0
    /// Skipped players with the reasons.
    public private(set) var skipped: [CoverageReport.Gap] = []
    /// Failed players with the last reason.
    public private(set) var failed: [CoverageReport.Gap] = []
    /// Players not (fully) answered, with what the journal holds of them.
    public private(set) var missing: [CoverageReport.Gap] = []

    /// No verdicts yet.
    public init() {}

    /// Adds `player`'s verdict (once per player).
    public mutating func add(_ player: PlayerLookup, _ verdict: CoverageVerdict) {
        players += 1
        switch verdict {
        case .covered: covered += 1
        case .skipped(let reason): skipped.append(CoverageReport.Gap(player: player.rawValue, reason: reason))
        case .failed(let reason): failed.append(CoverageReport.Gap(player: player.rawValue, reason: reason))
        case .missing(let reason): missing.append(CoverageReport.Gap(player: player.rawValue, reason: reason))
        }
    }
}
