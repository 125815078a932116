import PropcastModels

/// What one journal record says, without its envelope (`seq`, `prev`, `ts`).
/// Each case is one record `type`; its payload's fields sit beside the envelope fields
/// in the line's JSON object (see Protocols/JOURNAL.md).
public indirect enum JournalEntry: Sendable, Hashable {
    /// A batch run (or retry) began for the journal's date.
    case batchStarted(BatchStarted)
    /// One durable output row; `created_at` of the row is the record's `ts`.
    case prediction(PredictionRow)
    /// A player (or one system for a player) was deliberately not predicted.
    case playerSkipped(PlayerSkipped)
    /// A player could not be predicted after all attempts.
    case playerFailed(PlayerFailed)
    /// One attempt for a player did not give its full answer (a system failed on the
    /// worker); the player stays missing and is tried again.
    case attemptFailed(AttemptFailed)
    /// Earlier predictions that no longer stand (e.g. the line was withdrawn).
    case superseded(Superseded)
    /// A batch run ended; counts and coverage at that moment.
    case batchFinished(BatchFinished)

    /// The record `type` as spelled in the journal.
    public var type: JournalRecordType {
        switch self {
        case .batchStarted: .batchStarted
        case .prediction: .prediction
        case .playerSkipped: .playerSkipped
        case .playerFailed: .playerFailed
        case .attemptFailed: .attemptFailed
        case .superseded: .superseded
        case .batchFinished: .batchFinished
        }
    }

    /// The prediction id when this is a prediction record.
    public var predictionID: PredictionID? {
        if case .prediction(let row) = self { return row.predictionID }
        return nil
    }

    /// The player this record is about, if it is about one.
    public var player: PlayerLookup? {
        switch self {
        case .prediction(let row): row.player
        case .playerSkipped(let skipped): skipped.player
        case .playerFailed(let failed): failed.player
        case .attemptFailed(let failed): failed.player
        case .superseded(let superseded): superseded.player
        case .batchStarted, .batchFinished: nil
        }
    }

    /// The system this record is about, if it is about one.
    public var system: SystemID? {
        switch self {
        case .prediction(let row): row.systemID
        case .playerSkipped(let skipped): skipped.system
        case .attemptFailed(let failed): failed.system
        default: nil
        }
    }
}

/// The `type` field of a journal record.
public enum JournalRecordType: String, Sendable, Hashable, CaseIterable, Codable {
    case batchStarted = "batch_started"
    case prediction
    case playerSkipped = "player_skipped"
    case playerFailed = "player_failed"
    case attemptFailed = "attempt_failed"
    case superseded
    case batchFinished = "batch_finished"
}
