import PropcastModels

/// What a journal holds, rebuilt from its records in order: the idempotency index the writer
/// uses to refuse duplicates, and what readers ask (which rows are current, which players
/// were skipped or failed, whether a batch is open).
///
/// A prediction is *current* from its record until a `superseded` record names its id; a
/// superseded id may be journaled again (a withdrawn line offered again), which makes it
/// current once more. An id is never current twice.
public struct JournalIndex: Sendable, Hashable {
    /// What the index keeps of one current prediction.
    public struct CurrentRow: Sendable, Hashable {
        public var system: SystemID
        public var line: LineValue?
        public var modelVersion: String
        public var inputFingerprint: InputFingerprint?
    }

    /// Current predictions per player (empty once ``dropCurrentRows()`` was called).
    public private(set) var currentRows: [PlayerLookup: [PredictionID: CurrentRow]] = [:]
    /// Ids of every current prediction.
    public private(set) var currentIDs: Set<PredictionID> = []
    /// How many current predictions each player has (kept with or without the rows).
    public private(set) var currentCounts: [PlayerLookup: Int] = [:]
    /// False once ``dropCurrentRows()`` was called: ``currentRows`` is no longer kept.
    public private(set) var keepsCurrentRows = true
    /// Ids superseded and not journaled again since.
    public private(set) var supersededIDs: Set<PredictionID> = []
    /// The last whole-player `player_skipped` of each player.
    public private(set) var skippedPlayers: [PlayerLookup: JournalEntry.PlayerSkipped] = [:]
    /// What a system skip was decided on: the inputs and the model version.
    public struct SkipBasis: Sendable, Hashable {
        public var inputFingerprint: InputFingerprint?
        public var modelVersion: String?
    }

    /// Per player, the systems skipped and what each skip was decided on.
    public private(set) var skippedSystems: [PlayerLookup: [SystemID: SkipBasis]] = [:]
    /// The last `player_failed` of each player.
    public private(set) var failedPlayers: [PlayerLookup: JournalEntry.PlayerFailed] = [:]
    /// The last `attempt_failed` of each player.
    public private(set) var failedAttempts: [PlayerLookup: JournalEntry.AttemptFailed] = [:]
    /// Records of each type.
    public private(set) var countsByType: [JournalRecordType: Int] = [:]
    /// Records indexed (equal to the last seq).
    public private(set) var recordCount = 0
    /// Timestamp of the first record.
    public private(set) var firstTimestamp: String?
    /// Timestamp of the last record.
    public private(set) var lastTimestamp: String?
    /// A record with its seq and timestamp.
    public struct Stamped<Payload: Sendable & Hashable>: Sendable, Hashable {
        public var seq: Int
        public var record: Payload
        public var timestamp: String
    }

    /// The last `batch_started`.
    public private(set) var lastBatchStarted: Stamped<JournalEntry.BatchStarted>?
    /// The last `batch_finished`.
    public private(set) var lastBatchFinished: Stamped<JournalEntry.BatchFinished>?

    /// True once a record only journal v2 writes was indexed (a fingerprinted prediction or
    /// a v2 `batch_finished`): a v1-shaped `batch_finished` after it is a forgery.
    public private(set) var hasV2Records = false

    /// An empty index.
    public init() {}

    /// Players with at least one current prediction.
    public var playersWithPredictions: Int { currentCounts.count }

    /// Stops keeping ``currentRows`` (ids, counts and everything else stay): a writer whose
    /// long batch never reads the rows back keeps a few bytes per prediction instead of a
    /// row each. Superseded records indexed afterwards must name their player.
    public mutating func dropCurrentRows() {
        keepsCurrentRows = false
        currentRows = [:]
    }

    /// Whether `id` is current (journaled and not superseded).
    public func isCurrent(_ id: PredictionID) -> Bool { currentIDs.contains(id) }

    /// True when the last `batch_started` has no `batch_finished` after it.
    public var hasOpenBatch: Bool {
        guard let started = lastBatchStarted else { return false }
        return (lastBatchFinished?.seq ?? 0) < started.seq
    }

    /// The systems skipped for `player` on the inputs with fingerprint `fingerprint` by the
    /// model versions in `versions`.
    public func skippedSystems(of player: PlayerLookup, inputs fingerprint: InputFingerprint,
                               versions: [SystemID: String]) -> Set<SystemID> {
        Set((skippedSystems[player] ?? [:]).filter { system, basis in
            basis.inputFingerprint == fingerprint && basis.modelVersion == versions[system]
        }.keys)
    }

    /// The problem with appending `entry` next, if any: a `batch_finished` whose journal
    /// counts differ from the index, or a prediction whose id is already current.
    public func conflict(with entry: JournalEntry) -> JournalDefect.Kind? {
        switch entry {
        case .prediction(let row) where currentIDs.contains(row.predictionID):
            return .duplicatePrediction(row.predictionID.description)
        case .batchFinished(let finished) where finished.outcome == "legacy":
            return hasV2Records ? .countsMismatch("a journal v1 batch_finished after journal v2 records") : nil
        case .batchFinished(let finished):
            if finished.predictions != currentIDs.count {
                return .countsMismatch("predictions \(finished.predictions), journal has \(currentIDs.count) current")
            }
            if finished.playersWithPredictions != playersWithPredictions {
                return .countsMismatch("players_with_predictions \(finished.playersWithPredictions), "
                                       + "journal has \(playersWithPredictions)")
            }
            let parts = finished.playersCovered + finished.playersSkipped + finished.playersFailed + finished.playersMissing
            if parts != finished.expectedPlayers {
                return .countsMismatch("covered + skipped + failed + missing = \(parts), expected_players \(finished.expectedPlayers)")
            }
            if finished.playersCovered > playersWithPredictions {
                return .countsMismatch("players_covered \(finished.playersCovered) > \(playersWithPredictions) players with predictions")
            }
            let percent = finished.expectedPlayers == 0 ? 100 : Double(finished.playersCovered) * 100 / Double(finished.expectedPlayers)
            if abs(percent - finished.coveragePercent) > 1e-9 {
                return .countsMismatch("coverage_pct \(finished.coveragePercent), covered / expected = \(percent)")
            }
            return nil
        default:
            return nil
        }
    }

    /// Adds one record.
    public mutating func add(_ record: JournalRecord) {
        add(record.entry, timestamp: record.timestamp)
    }

    /// Adds the next record's content, stamped `timestamp`.
    public mutating func add(_ entry: JournalEntry, timestamp: String) {
        recordCount += 1
        countsByType[entry.type, default: 0] += 1
        if firstTimestamp == nil { firstTimestamp = timestamp }
        lastTimestamp = timestamp
        switch entry {
        case .prediction(let row):
            if row.inputFingerprint != nil { hasV2Records = true }
            if currentIDs.insert(row.predictionID).inserted { currentCounts[row.player, default: 0] += 1 }
            supersededIDs.remove(row.predictionID)
            if keepsCurrentRows {
                currentRows[row.player, default: [:]][row.predictionID] = CurrentRow(
                    system: row.systemID, line: row.line, modelVersion: row.modelVersion, inputFingerprint: row.inputFingerprint)
            }
        case .playerSkipped(let skipped):
            if let system = skipped.system {
                skippedSystems[skipped.player, default: [:]][system] = SkipBasis(
                    inputFingerprint: skipped.inputFingerprint, modelVersion: skipped.modelVersion)
            } else {
                skippedPlayers[skipped.player] = skipped
            }
        case .playerFailed(let failed):
            failedPlayers[failed.player] = failed
        case .attemptFailed(let failed):
            failedAttempts[failed.player] = failed
        case .superseded(let superseded):
            for id in superseded.predictionIDs where currentIDs.remove(id) != nil {
                supersededIDs.insert(id)
                if let player = superseded.player ?? currentRows.first(where: { $0.value[id] != nil })?.key {
                    currentRows[player]?[id] = nil
                    if currentRows[player]?.isEmpty == true { currentRows[player] = nil }
                    if let count = currentCounts[player] { currentCounts[player] = count > 1 ? count - 1 : nil }
                }
            }
        case .batchStarted(let started):
            lastBatchStarted = Stamped(seq: recordCount, record: started, timestamp: timestamp)
        case .batchFinished(let finished):
            if finished.outcome != "legacy" { hasV2Records = true }
            lastBatchFinished = Stamped(seq: recordCount, record: finished, timestamp: timestamp)
        }
    }
}
