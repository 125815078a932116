import PropcastJournal
import PropcastModels

/// How much of a date the journal covers. A player is *covered* when every row its inputs
/// call for (``ExpectedPredictions``, minus systems the journal shows skipped on those same
/// inputs) is current in the journal. Every other expected player lacks predictions and is
/// reported with its reason: *skipped* (invalid inputs, an unreadable store row), *failed*
/// (attempts exhausted) or *missing* (not answered yet, or no features in the store).
public struct CoverageReport: Sendable, Codable, Hashable {
    /// One player that lacks predictions, and why.
    public struct Gap: Sendable, Codable, Hashable {
        public var player: String
        public var reason: String

        enum CodingKeys: String, CodingKey { case player = "player_lookup", reason }
    }

    /// Players on the date: the store's upcoming games, or more if features exist for more.
    public var expectedPlayers: Int
    /// Players with every expected prediction journaled.
    public var coveredPlayers: Int
    /// Players skipped as a whole, with the reasons.
    public var skipped: [Gap]
    /// Players whose attempts ran out, with the last reason.
    public var failed: [Gap]
    /// Players neither covered, skipped nor failed that have inputs (not answered yet).
    public var missing: [Gap]
    /// Expected players with no row at all in the feature store.
    public var playersWithoutFeatures: Int
    /// Current (not superseded) predictions in the journal.
    public var predictions: Int
    /// Players with at least one current prediction.
    public var playersWithPredictions: Int

    /// covered / expected × 100 (100 when no player is expected).
    public var coveragePercent: Double {
        expectedPlayers == 0 ? 100 : Double(coveredPlayers) * 100 / Double(expectedPlayers)
    }

    /// Expected players without their predictions (skipped, failed, missing, no features).
    public var playersLackingPredictions: Int { expectedPlayers - coveredPlayers }

    /// Players neither covered, skipped nor failed, including those without features.
    public var missingPlayers: Int { missing.count + playersWithoutFeatures }

    /// Coverage of the loaded players' `expectations` against `index`.
    /// - Parameters:
    ///   - unreadable: players whose store row could not be read, with the reason (skipped).
    ///   - expectedPlayers: the store's count of players scheduled on the date.
    public init(expectations: [ExpectedPredictions], unreadable: [PlayerLookup: String], index: JournalIndex,
                expectedPlayers: Int) {
        var tally = CoverageTally()
        for expected in expectations { tally.add(expected.player, CoverageVerdict(expected, index: index)) }
        self.init(tally: tally, unreadable: unreadable, index: index, expectedPlayers: expectedPlayers)
    }

    /// Coverage from verdicts already reached (a batch decides each player as it leaves),
    /// with the journal's counts from `index`.
    public init(tally: CoverageTally, unreadable: [PlayerLookup: String], index: JournalIndex, expectedPlayers: Int) {
        var skipped = tally.skipped
        for (player, reason) in unreadable {
            skipped.append(Gap(player: player.rawValue, reason: reason))
        }
        let known = tally.players + unreadable.count
        self.expectedPlayers = max(expectedPlayers, known)
        self.coveredPlayers = tally.covered
        self.skipped = skipped.sorted { $0.player < $1.player }
        self.failed = tally.failed.sorted { $0.player < $1.player }
        self.missing = tally.missing.sorted { $0.player < $1.player }
        self.playersWithoutFeatures = self.expectedPlayers - known
        self.predictions = index.currentIDs.count
        self.playersWithPredictions = index.playersWithPredictions
    }

    /// The `batch_finished` record of this coverage.
    public func finishedRecord(outcome: String) -> JournalEntry.BatchFinished {
        JournalEntry.BatchFinished(expectedPlayers: expectedPlayers, playersCovered: coveredPlayers,
                                   playersSkipped: skipped.count, playersFailed: failed.count,
                                   playersMissing: missingPlayers, predictions: predictions,
                                   playersWithPredictions: playersWithPredictions, coveragePercent: coveragePercent,
                                   outcome: outcome)
    }

    enum CodingKeys: String, CodingKey {
        case expectedPlayers = "expected_players", coveredPlayers = "covered_players", skipped, failed, missing
        case playersWithoutFeatures = "players_without_features", predictions
        case playersWithPredictions = "players_with_predictions"
    }
}

/// The coverage SLA (the upstream's rule): alert when coverage is below
/// ``minimumCoveragePercent``, or more than ``maximumMissingPercent`` of the expected players
/// or more than ``maximumMissingPlayers`` players lack predictions.
public struct CoverageSLA: Sendable, Hashable {
    /// `--min-coverage`, default 90.
    public var minimumCoveragePercent: Double
    /// `--max-missing-pct`, default 5.
    public var maximumMissingPercent: Double
    /// `--max-missing-players`, default 20.
    public var maximumMissingPlayers: Int

    /// Creates the rule; defaults as documented on each field.
    public init(minimumCoveragePercent: Double = 90, maximumMissingPercent: Double = 5, maximumMissingPlayers: Int = 20) {
        self.minimumCoveragePercent = minimumCoveragePercent
        self.maximumMissingPercent = maximumMissingPercent
        self.maximumMissingPlayers = maximumMissingPlayers
    }

    /// Each rule `report` breaks, readable; empty when the SLA holds.
    public func violations(of report: CoverageReport) -> [String] {
        var broken: [String] = []
        let lacking = report.playersLackingPredictions
        if report.coveragePercent < minimumCoveragePercent {
            broken.append(String(format: "coverage %.1f%% is below %g%% (--min-coverage)",
                                 report.coveragePercent, minimumCoveragePercent))
        }
        let lackingPercent = report.expectedPlayers == 0 ? 0 : Double(lacking) * 100 / Double(report.expectedPlayers)
        if lackingPercent > maximumMissingPercent {
            broken.append(String(format: "%d players (%.1f%%) lack predictions, more than %g%% (--max-missing-pct)",
                                 lacking, lackingPercent, maximumMissingPercent))
        }
        if lacking > maximumMissingPlayers {
            broken.append("\(lacking) players lack predictions, more than \(maximumMissingPlayers) (--max-missing-players)")
        }
        return broken
    }
}
