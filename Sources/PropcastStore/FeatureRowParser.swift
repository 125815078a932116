import Foundation
import PropcastModels

/// Turns one joined features + context row into a ``PlayerInput`` (without recent games),
/// caching the parsed `feature_names` array, which is the same text on almost every row.
/// A row that cannot be read gives the player and a reason naming the column and the date.
struct FeatureRowParser {
    struct Problem: Error {
        let player: PlayerLookup
        let reason: String
    }

    /// Lines a request may carry (the wire limit, ``ValidationConfiguration/maximumLineCount``).
    static let maximumLines = ValidationConfiguration().maximumLineCount

    let date: GameDate
    private var cachedNamesText = ""
    private var cachedNames: [String] = []
    private let decoder = JSONDecoder()

    init(date: GameDate) {
        self.date = date
    }

    /// Reads a row of the features query by column position: player_lookup, game_id,
    /// feature_names, features, feature_quality_score, data_source, context_game_id,
    /// points_line_values.
    mutating func parse(_ row: some StoreRow) -> Result<PlayerInput, Problem> {
        guard case .value(let lookup) = row.text(0) else {
            return .failure(Problem(player: PlayerLookup(""), reason: "ml_feature_store_v2.player_lookup on \(date) is NULL"))
        }
        let player = PlayerLookup(lookup)
        func problem(_ column: String, _ what: String) -> Result<PlayerInput, Problem> {
            .failure(Problem(player: player, reason: "ml_feature_store_v2.\(column) of \(player) on \(date) \(what)"))
        }
        guard case .value(let namesText) = row.text(2) else {
            return problem("feature_names", "is NULL or not text")
        }
        if namesText != cachedNamesText {
            guard let names = decode([String].self, namesText) else {
                return problem("feature_names", "is not a JSON array of strings: \(namesText.prefix(80))")
            }
            cachedNames = names
            cachedNamesText = namesText
        }
        let valuesCell = row.text(3)
        guard case .value(let valuesText) = valuesCell, let values = JSONNumberArray.parse(valuesText) else {
            return problem("features", "is not a JSON array of numbers: \(valuesCell.value?.prefix(80) ?? "NULL")")
        }
        guard values.count == cachedNames.count else {
            return problem("features", "holds \(values.count) numbers for \(cachedNames.count) feature_names")
        }
        guard case .value(let quality) = row.real(4) else {
            return problem("feature_quality_score", "is NULL or not a number")
        }
        let sourceText = row.text(5).value
        guard let source = sourceText.flatMap(DataSource.init(rawValue:)) else {
            return problem("data_source", "is '\(sourceText ?? "NULL")', not phase4, phase3, mixed or mock")
        }
        let linesCell = row.text(7)
        var lines: [Double] = []
        func badLines(_ what: String) -> Result<PlayerInput, Problem> {
            .failure(Problem(player: player, reason: "upcoming_player_game_context.points_line_values of \(player) on \(date) \(what)"))
        }
        switch linesCell {
        case .null: break
        case .wrongType: return badLines("is not text")
        case .value(let text):
            guard let parsed = JSONNumberArray.parse(text) else {
                return badLines("is not a JSON array of numbers: \(text.prefix(80))")
            }
            guard parsed.count <= Self.maximumLines else {
                return badLines("holds \(parsed.count) lines, at most \(Self.maximumLines) are allowed")
            }
            lines = parsed
        }
        guard let gameID = row.text(6).value ?? row.text(1).value else {
            return problem("game_id", "is NULL or not text")
        }
        return .success(PlayerInput(player: player, gameDate: date, gameID: GameID(gameID),
                                    features: Dictionary(zip(cachedNames, values), uniquingKeysWith: { first, _ in first }),
                                    featureQualityScore: quality, dataSource: source,
                                    lineValues: lines.map { LineValue($0) }, recentGames: []))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? decoder.decode(type, from: Data(text.utf8))
    }
}
