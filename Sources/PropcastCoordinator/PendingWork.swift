import PropcastJournal
import PropcastModels
import PropcastStore

/// What a run of a date would do now, worked out from the store and the journal without
/// contacting a worker: the plan of ``BatchPlan`` under the model versions of the date's
/// last `batch_started`. The coordinator service uses it to answer "already complete" and
/// to decide whether a refresh has anything to do; backfill skips complete dates with it.
public struct PendingWork: Sendable, Hashable {
    /// The date.
    public let date: GameDate
    /// Whether the store schedules nothing on the date.
    public let hasNoGames: Bool
    /// Players with features the next run would send.
    public let playersToPredict: Int
    /// Current rows the next run would supersede (withdrawn lines, corrected inputs).
    public let rowsToSupersede: Int
    /// Whether a batch of the date has finished (its last `batch_started` has a `batch_finished`).
    public let hasFinishedBatch: Bool

    /// True when a run would change nothing: no games, or a finished batch and nothing to
    /// predict or supersede.
    public var isComplete: Bool { hasNoGames || (hasFinishedBatch && playersToPredict == 0 && rowsToSupersede == 0) }

    /// Reads the store's inputs and the journal of `date`.
    /// - Throws: ``BatchError`` `.configuration` when the store cannot be read, `.journal`
    ///   when the journal cannot be read or is damaged.
    public init(date: GameDate, storePath: String, journalDirectory: String) throws {
        let loaded: FeatureStore.LoadedInputs
        let readiness: Readiness
        do {
            let store = try FeatureStore(path: storePath)
            readiness = try store.readiness(on: date)
            loaded = try store.loadInputs(on: date)
        } catch {
            throw BatchError(.configuration, "\(error)")
        }
        let path = JournalDirectory(journalDirectory).journalPath(for: date)
        let contents: JournalReader.Contents
        do { contents = try JournalReader.read(path: path, date: date, keepRecords: false) } catch {
            throw BatchError(.journal, "\(error)")
        }
        if case .corrupt(let defect) = contents.verdict {
            throw BatchError(.journal, "journal \(path) is damaged: \(defect) (`propcast journal verify --date \(date)`)")
        }
        let index = contents.index
        let versions = index.lastBatchStarted?.record.modelVersions ?? [:]
        let plan = BatchPlan(inputs: loaded.inputs, index: index, modelVersions: versions)
        self.date = date
        self.hasNoGames = readiness.hasNoGames
        self.playersToPredict = versions.isEmpty ? loaded.inputs.count : plan.remaining.count
        self.rowsToSupersede = versions.isEmpty ? 0 : plan.superseded.reduce(0) { $0 + $1.predictionIDs.count }
        self.hasFinishedBatch = !index.hasOpenBatch && index.lastBatchFinished != nil
    }
}
