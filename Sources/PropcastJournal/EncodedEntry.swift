import PropcastModels

/// A record checked against its journal and JSON-encoded by the submitting task, so the
/// writer actor only stamps the envelope.
struct EncodedEntry: Sendable {
    let entry: JournalEntry
    let payload: [UInt8]

    var predictionID: PredictionID? { entry.predictionID }

    /// Checks `entry` belongs to `journalDate` (a prediction's id is derived from its
    /// fields, a superseded record names its player), then encodes its payload. Throws ``JournalError/invalidEntry(_:)``.
    init(_ entry: JournalEntry, journalDate: GameDate, dateText: String) throws {
        switch entry {
        case .prediction(let row):
            guard row.gameDate == journalDate else {
                throw JournalError.invalidEntry("prediction \(row.predictionID) is for \(row.gameDate), "
                    + "not the journal's date \(journalDate)")
            }
            let derived = PredictionID(deriving: row, gameDateText: dateText)
            guard derived == row.predictionID else {
                throw JournalError.invalidEntry("prediction \(row.predictionID) for \(row.player)/\(row.systemID) "
                    + "is not the id derived from its fields (\(derived)); build it with ExpectedPredictions")
            }
        case .batchStarted(let started):
            guard started.gameDate == journalDate else {
                throw JournalError.invalidEntry("batch_started for \(started.gameDate) in the \(journalDate) journal")
            }
        case .superseded(let superseded):
            // The index counts each player's current rows without keeping them all.
            guard superseded.player != nil else {
                throw JournalError.invalidEntry("a superseded record must name its player (one record per player)")
            }
        case .playerSkipped, .playerFailed, .attemptFailed, .batchFinished:
            break
        }
        self.entry = entry
        if case .prediction(let row) = entry {
            payload = try JournalLine.encodePredictionPayload(row, dateText: dateText)
        } else {
            payload = try JournalLine.encodePayload(entry)
        }
    }
}
