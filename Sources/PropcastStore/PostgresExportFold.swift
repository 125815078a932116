import PropcastModels

/// The export's fold of a date's new journal steps into what the table must receive, as a value
/// with no I/O.
///
/// - Streaming (a date's first export): a prediction seen for the first time is handed back at
///   once, to be COPYed while the journal is still being read; the fold keeps only its id. An id
///   journaled again later is kept whole, to be merged after the COPY; an id withdrawn later is
///   deactivated by id.
/// - Otherwise every id's last state is kept, to be merged.
struct PostgresExportFold {
    /// An id's last state, to be merged.
    struct Entry: Hashable {
        var row: PredictionTable.Row
        var active: Bool
    }

    /// Whether first-seen predictions are handed back instead of kept.
    let streaming: Bool
    private var entries: [PredictionID: Entry] = [:]
    /// The ids of `entries` in the order they were first kept.
    private var order: [PredictionID] = []
    private var streamed: Set<PredictionID> = []
    /// Ids withdrawn whose rows the fold does not hold: streamed ones, or ones an earlier export wrote.
    private(set) var deactivations: Set<PredictionID> = []

    /// An empty fold.
    init(streaming: Bool) { self.streaming = streaming }

    /// Folds one change in; when streaming, returns the row of an id seen for the first time.
    mutating func add(_ change: PostgresPredictionTable.Change?) -> PredictionTable.Row? {
        switch change {
        case .prediction(let row):
            let id = row.prediction.predictionID
            deactivations.remove(id)
            if streaming, entries[id] == nil, streamed.insert(id).inserted { return row }
            if entries.updateValue(Entry(row: row, active: true), forKey: id) == nil { order.append(id) }
            return nil
        case .superseded(let ids):
            for id in ids {
                if entries[id] != nil { entries[id]?.active = false } else { deactivations.insert(id) }
            }
            return nil
        case nil:
            return nil
        }
    }

    /// The ids handed back to be COPYed.
    var streamedCount: Int { streamed.count }

    /// The last states to merge, in the order the ids were first kept.
    var merges: [Entry] { order.compactMap { entries[$0] } }
}
