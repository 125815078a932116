import PropcastModels

/// What ``JournalWriter/append(_:)`` did with one record.
public enum AppendOutcome: Sendable, Hashable {
    /// Written and durable (per the configured durability) as record `seq`.
    case written(seq: UInt64)
    /// A prediction with this id is already in the journal; nothing was written.
    case alreadyJournaled(PredictionID)

    /// The seq written, if any.
    public var seq: UInt64? {
        if case .written(let seq) = self { return seq }
        return nil
    }
}
