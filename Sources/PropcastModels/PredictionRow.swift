/// A system-specific output value (`similar_games_count`, `systems_used`, …).
///
/// Numbers compare by value: JSON does not keep `2.0` apart from `2`, so an `.integer(2)`
/// read back from the journal equals the `.number(2.0)` that was written.
public enum ExtraValue: Sendable, Hashable, Codable {
    case number(Double)
    case integer(Int)
    case text(String)
    case list([String])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { self = .integer(i); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .text(s); return }
        self = .list(try c.decode([String].self))
    }

    private var numericValue: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        case .text, .list: return nil
        }
    }

    public static func == (lhs: ExtraValue, rhs: ExtraValue) -> Bool {
        if let left = lhs.numericValue, let right = rhs.numericValue { return left == right }
        switch (lhs, rhs) {
        case (.text(let left), .text(let right)): return left == right
        case (.list(let left), .list(let right)): return left == right
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        if let number = numericValue {
            hasher.combine(0)
            hasher.combine(number)
        } else if case .text(let text) = self {
            hasher.combine(1)
            hasher.combine(text)
        } else if case .list(let list) = self {
            hasher.combine(2)
            hasher.combine(list)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): try c.encode(d)
        case .integer(let i): try c.encode(i)
        case .text(let s): try c.encode(s)
        case .list(let l): try c.encode(l)
        }
    }
}

/// One output row: one system's prediction for one player against one line (or no line).
/// Mirrors the upstream `player_prop_predictions` row (SYSTEMS.md §9) minus `created_at`,
/// which the journal stamps when the row becomes durable.
public struct PredictionRow: Sendable, Hashable, Codable {
    /// Deterministic id (see ``PredictionID``).
    public var predictionID: PredictionID
    public var systemID: SystemID
    public var player: PlayerLookup
    public var gameDate: GameDate
    public var gameID: GameID
    /// Predicted points (0–60).
    public var predictedPoints: Double
    /// Confidence on the common 0–100 scale.
    public var confidenceScore: Double
    public var recommendation: Recommendation
    /// The line predicted against; nil when the player had no line.
    public var line: LineValue?
    /// `predictedPoints − line`; nil without a line.
    public var lineMargin: Double?
    /// System-specific outputs, keyed by the upstream's column names.
    public var extras: [String: ExtraValue]
    /// The version of the model or rule set that produced the row.
    public var modelVersion: String
    /// The fingerprint of the inputs the row was predicted from (part of its id); nil only
    /// for rows journaled before fingerprints existed.
    public var inputFingerprint: InputFingerprint?

    /// Creates a row; `predictionID` must be the id its fields derive (the journal checks).
    public init(predictionID: PredictionID, systemID: SystemID, player: PlayerLookup, gameDate: GameDate,
                gameID: GameID, predictedPoints: Double, confidenceScore: Double,
                recommendation: Recommendation, line: LineValue?, lineMargin: Double?,
                extras: [String: ExtraValue], modelVersion: String, inputFingerprint: InputFingerprint?) {
        self.predictionID = predictionID
        self.systemID = systemID
        self.player = player
        self.gameDate = gameDate
        self.gameID = gameID
        self.predictedPoints = predictedPoints
        self.confidenceScore = confidenceScore
        self.recommendation = recommendation
        self.line = line
        self.lineMargin = lineMargin
        self.extras = extras
        self.modelVersion = modelVersion
        self.inputFingerprint = inputFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case predictionID = "prediction_id", systemID = "system_id", player = "player_lookup"
        case gameDate = "game_date", gameID = "game_id", predictedPoints = "predicted_points"
        case confidenceScore = "confidence_score", recommendation, line = "line_value"
        case lineMargin = "line_margin", extras, modelVersion = "model_version"
        case inputFingerprint = "input_fingerprint"
    }
}
