import PropcastJournal
import PropcastModels

/// How much of a date the journal covers: a player counts as covered when every expected
/// prediction is journaled or the player was journaled as skipped.
public struct CoverageReport: Sendable, Codable {
    /// Players on the date (the store's upcoming games, or more if features exist for more).
    public var expectedPlayers: Int
    /// Covered players (predicted in full or skipped).
    public var completePlayers: Int
    /// Players journaled as skipped by validation (they count as covered).
    public var skippedPlayers: Int
    /// Players journaled as failed and still not covered.
    public var failedPlayers: Int
    /// Players neither covered nor failed (e.g. no features yet, or the run stopped).
    public var missingPlayers: Int
    /// Journaled predictions that are still current (not superseded).
    public var predictions: Int

    /// Covered players as a percentage of expected players (100 when none are expected).
    public var percent: Double {
        expectedPlayers == 0 ? 100 : Double(completePlayers) * 100 / Double(expectedPlayers)
    }

    /// Coverage of the players in `expectedIDs` against the journal index.
    public init(index: JournalIndex, expectedIDs: [PlayerLookup: Set<PredictionID>], expectedPlayers: Int) {
        let current = index.predictionIDs.subtracting(index.supersededIDs)
        var complete = 0
        var skipped = 0
        var failed = 0
        for (player, ids) in expectedIDs {
            if index.skippedPlayers[player] != nil {
                skipped += 1
                complete += 1
            } else if ids.isEmpty ? !(index.skippedSystems[player] ?? []).isEmpty : ids.isSubset(of: current) {
                complete += 1
            } else if index.failedPlayers[player] != nil {
                failed += 1
            }
        }
        self.expectedPlayers = expectedPlayers
        self.completePlayers = complete
        self.skippedPlayers = skipped
        self.failedPlayers = failed
        self.missingPlayers = max(0, expectedPlayers - complete - failed)
        self.predictions = current.count
    }
}
