import PropcastModels

extension JournalRecord {
    /// Decodes a prediction record in the form the journal writes it (see ``JournalJSONReader``)
    /// without `JSONDecoder`: a game date has ~11,000 of them, and every reader (`verify`, `tail`,
    /// `export`, the writer's open) reads them all. Nil for any other record or form; the caller
    /// then decodes with `JSONDecoder`, so the result never differs, only the time it takes.
    init?(plainPrediction json: ArraySlice<UInt8>) {
        let decoded = json.withContiguousStorageIfAvailable { bytes -> JournalRecord? in
            var reader = JournalJSONReader(bytes)
            var fields = PlainPredictionFields()
            guard reader.consume(UInt8(ascii: "{")) else { return nil }
            repeat {
                guard let key = reader.key(), let field = PlainPredictionFields.Field(key),
                      fields.read(field, from: &reader) else { return nil }
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "}")), reader.isAtEnd else { return nil }
            return fields.record
        }
        guard let decoded, let decoded else { return nil }
        self = decoded
    }
}

/// The members of one plain prediction line as they are read; each may appear once.
private struct PlainPredictionFields {
    /// The members a prediction line may have (`seen` tells which; the three optional ones are
    /// nil when absent or `null`).
    enum Field: Int, CaseIterable {
        case seq, prev, ts, type
        case confidenceScore, extras, gameDate, gameID, inputFingerprint, lineMargin, lineValue
        case modelVersion, player, predictedPoints, predictionID, recommendation, systemID

        var name: StaticString {
            switch self {
            case .seq: "seq"
            case .prev: "prev"
            case .ts: "ts"
            case .type: "type"
            case .confidenceScore: "confidence_score"
            case .extras: "extras"
            case .gameDate: "game_date"
            case .gameID: "game_id"
            case .inputFingerprint: "input_fingerprint"
            case .lineMargin: "line_margin"
            case .lineValue: "line_value"
            case .modelVersion: "model_version"
            case .player: "player_lookup"
            case .predictedPoints: "predicted_points"
            case .predictionID: "prediction_id"
            case .recommendation: "recommendation"
            case .systemID: "system_id"
            }
        }

        /// The member spelled `key`, nil for any other name.
        init?(_ key: UnsafeBufferPointer<UInt8>) {
            guard let match = Self.names.firstIndex(where: { $0.count == key.count && $0.elementsEqual(key) }) else {
                return nil
            }
            self.init(rawValue: match)!
        }

        private static let names: [[UInt8]] = allCases.map { field in field.name.withUTF8Buffer { Array($0) } }

        /// This member's bit in a set of members.
        var bit: UInt32 { 1 << UInt32(rawValue) }
    }

    /// The members read so far, one ``Field/bit`` each.
    private var seen: UInt32 = 0
    private var seq: UInt64?
    private var prev: String?, timestamp: String?
    private var confidenceScore: Double?, predictedPoints: Double?
    private var extras: [String: ExtraValue]?
    private var gameDate: GameDate?
    private var gameID: String?, modelVersion: String?, player: String?, systemID: String?
    private var predictionID: PredictionID?
    private var recommendation: Recommendation?
    private var inputFingerprint: InputFingerprint?
    private var lineMargin: Double?, lineValue: LineValue?

    /// Reads `field`'s value; false when it repeats or its value is not in the plain form or
    /// does not make the field's type.
    mutating func read(_ field: Field, from reader: inout JournalJSONReader) -> Bool {
        guard seen & field.bit == 0 else { return false }
        seen |= field.bit
        switch field {
        case .seq: return Self.assign(reader.unsigned(), to: &seq)
        case .prev: return Self.assign(reader.string(), to: &prev)
        case .ts: return Self.assign(reader.string(), to: &timestamp)
        case .type: return reader.string() == JournalRecordType.prediction.rawValue
        case .confidenceScore: return Self.assign(reader.double(), to: &confidenceScore)
        case .predictedPoints: return Self.assign(reader.double(), to: &predictedPoints)
        case .extras: return Self.assign(reader.extras(), to: &extras)
        case .gameDate: return Self.assign(reader.asciiField().flatMap { GameDate(utf8: $0) }, to: &gameDate)
        case .gameID: return Self.assign(reader.string(), to: &gameID)
        case .modelVersion: return Self.assign(reader.string(), to: &modelVersion)
        case .player: return Self.assign(reader.string(), to: &player)
        case .systemID: return Self.assign(reader.string(), to: &systemID)
        case .predictionID: return Self.assign(reader.asciiField().flatMap { PredictionID(utf8: $0) }, to: &predictionID)
        case .recommendation: return Self.assign(reader.string().flatMap(Recommendation.init(rawValue:)), to: &recommendation)
        case .inputFingerprint:
            if reader.null() { return true }
            return Self.assign(reader.string().flatMap { InputFingerprint(hex: $0) }, to: &inputFingerprint)
        case .lineMargin:
            if reader.null() { return true }
            return Self.assign(reader.double(), to: &lineMargin)
        case .lineValue:
            if reader.null() { return true }
            return Self.assign(reader.double().map(LineValue.init(rawValue:)), to: &lineValue)
        }
    }

    /// The record, when every required member was read.
    var record: JournalRecord? {
        guard seen & Field.type.bit != 0, let seq, let prev, let timestamp, let confidenceScore,
              let predictedPoints, let extras, let gameDate, let gameID, let modelVersion, let player, let systemID,
              let predictionID, let recommendation else { return nil }
        let row = PredictionRow(predictionID: predictionID, systemID: SystemID(systemID), player: PlayerLookup(player),
                                gameDate: gameDate, gameID: GameID(gameID), predictedPoints: predictedPoints,
                                confidenceScore: confidenceScore, recommendation: recommendation, line: lineValue,
                                lineMargin: lineMargin, extras: extras, modelVersion: modelVersion,
                                inputFingerprint: inputFingerprint)
        return JournalRecord(seq: seq, prev: prev, timestamp: timestamp, entry: .prediction(row))
    }

    private static func assign<Value>(_ value: Value?, to target: inout Value?) -> Bool {
        guard let value else { return false }
        target = value
        return true
    }
}
