import PropcastModels

/// What a journal holds, rebuilt from its records: the idempotency index the writer uses to
/// refuse duplicates, and what readers ask ("which players of this date are complete").
public struct JournalIndex: Sendable, Hashable {
    /// Every journaled prediction id (superseded ones included: an id is written once, ever).
    public private(set) var predictionIDs: Set<PredictionID> = []
    /// Journaled prediction ids per player.
    public private(set) var predictionIDsByPlayer: [PlayerLookup: Set<PredictionID>] = [:]
    /// Players skipped as a whole, with the reasons of their last `player_skipped`.
    public private(set) var skippedPlayers: [PlayerLookup: [String]] = [:]
    /// Per-system skips: the systems that legitimately produced no row for a player.
    public private(set) var skippedSystems: [PlayerLookup: Set<SystemID>] = [:]
    /// Players whose attempts were exhausted, with their last `player_failed`.
    public private(set) var failedPlayers: [PlayerLookup: JournalEntry.PlayerFailed] = [:]
    /// Predictions withdrawn by `superseded` records.
    public private(set) var supersededIDs: Set<PredictionID> = []
    /// Records of each type.
    public private(set) var countsByType: [JournalRecordType: Int] = [:]
    /// Timestamp of the first record.
    public private(set) var firstTimestamp: String?
    /// Timestamp of the last record.
    public private(set) var lastTimestamp: String?
    /// The last `batch_finished`, if any.
    public private(set) var lastBatchFinished: JournalEntry.BatchFinished?

    /// An empty index.
    public init() {}

    /// Total records indexed.
    public var recordCount: Int { countsByType.values.reduce(0, +) }

    /// Players with at least one journaled prediction.
    public var playersWithPredictions: Set<PlayerLookup> { Set(predictionIDsByPlayer.keys) }

    /// Whether `id` is journaled.
    public func contains(_ id: PredictionID) -> Bool { predictionIDs.contains(id) }

    /// The ids of `expected` that are not journaled yet.
    public func missingPredictionIDs(_ expected: Set<PredictionID>) -> Set<PredictionID> {
        expected.subtracting(predictionIDs)
    }

    /// The players of `expected` that are done for the date: every expected id is journaled,
    /// or the player is journaled as skipped (as a whole). Failed players are not complete.
    public func completePlayers(expected: [PlayerLookup: Set<PredictionID>]) -> Set<PlayerLookup> {
        var complete = Set<PlayerLookup>()
        for (player, ids) in expected where skippedPlayers[player] != nil || ids.isSubset(of: predictionIDs) {
            complete.insert(player)
        }
        return complete
    }

    /// Adds one record.
    public mutating func add(_ record: JournalRecord) {
        add(record.entry, timestamp: record.timestamp)
    }

    /// Adds one record's content stamped `timestamp`.
    public mutating func add(_ entry: JournalEntry, timestamp: String) {
        countsByType[entry.type, default: 0] += 1
        if firstTimestamp == nil { firstTimestamp = timestamp }
        lastTimestamp = timestamp
        switch entry {
        case .prediction(let row):
            predictionIDs.insert(row.predictionID)
            predictionIDsByPlayer[row.player, default: []].insert(row.predictionID)
        case .playerSkipped(let skipped):
            if let system = skipped.system {
                skippedSystems[skipped.player, default: []].insert(system)
            } else {
                skippedPlayers[skipped.player] = skipped.reasons
            }
        case .playerFailed(let failed):
            failedPlayers[failed.player] = failed
        case .superseded(let superseded):
            supersededIDs.formUnion(superseded.predictionIDs)
        case .batchFinished(let finished):
            lastBatchFinished = finished
        case .batchStarted:
            break
        }
    }
}
