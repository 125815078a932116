import PropcastModels

/// One verified journal line: the envelope (`seq`, `prev`, `ts`) and what it says.
public struct JournalRecord: Sendable, Hashable {
    /// Position in the journal, 1, 2, … without gaps.
    public var seq: UInt64
    /// SHA-256 hex of the previous line (``JournalLine/genesisHash(for:)`` for seq 1).
    public var prev: String
    /// When the record was submitted, ISO-8601 UTC with milliseconds (`2025-01-15T18:00:01.123Z`).
    /// For predictions this is the row's `created_at`.
    public var timestamp: String
    /// The record's content.
    public var entry: JournalEntry

    /// Creates a record.
    public init(seq: UInt64, prev: String, timestamp: String, entry: JournalEntry) {
        self.seq = seq
        self.prev = prev
        self.timestamp = timestamp
        self.entry = entry
    }
}

extension JournalRecord: Decodable {
    enum EnvelopeKeys: String, CodingKey {
        case seq, prev, ts, type
    }

    /// Decodes the envelope and the payload named by `type` from one JSON object.
    public init(from decoder: Decoder) throws {
        let envelope = try decoder.container(keyedBy: EnvelopeKeys.self)
        seq = try envelope.decode(UInt64.self, forKey: .seq)
        prev = try envelope.decode(String.self, forKey: .prev)
        timestamp = try envelope.decode(String.self, forKey: .ts)
        let typeName = try envelope.decode(String.self, forKey: .type)
        guard let type = JournalRecordType(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: envelope,
                debugDescription: "unknown record type '\(typeName)'")
        }
        switch type {
        case .batchStarted: entry = .batchStarted(try .init(from: decoder))
        case .prediction: entry = .prediction(try PredictionRow(from: decoder))
        case .playerSkipped: entry = .playerSkipped(try .init(from: decoder))
        case .playerFailed: entry = .playerFailed(try .init(from: decoder))
        case .attemptFailed: entry = .attemptFailed(try .init(from: decoder))
        case .superseded: entry = .superseded(try .init(from: decoder))
        case .batchFinished: entry = .batchFinished(try .init(from: decoder))
        }
    }
}
