import Foundation

/// Reads the operator input of `propcast predict --input FILE.json`.
///
/// The file holds one ``PlayerInput`` object or an array of them (snake_case keys):
/// ```
/// {"player_lookup": "lebronjames", "game_date": "2025-01-15", "game_id": "20250115_LAL_BOS",
///  "features": {"points_avg_last_5": 27.4, …all 25 of v1_baseline_25…},
///  "feature_quality_score": 92.0,
///  "data_source": "phase4",            // optional: phase4 (default), phase3, mixed, mock
///  "line_values": [24.5, 25.5],        // optional, at most 5; [] or absent = no line
///  "recent_games": [                   // optional, up to 30, newest first
///    {"game_date": "2025-01-13", "points": 31, "opponent_def_rating_last_15": 108.2,
///     "days_rest": 1, "is_home": true, "points_avg_last_5": 28.0, "points_avg_season": 26.5}]}
/// ```
/// In a recent game only `game_date` and `points` are required.
public enum PlayerInputFile {
    /// Parses `data` (the contents of `source`, named in errors).
    /// - Throws: ``PlayerInputFileError`` naming the file and the JSON path of the problem.
    public static func decode(_ data: Data, source: String) throws(PlayerInputFileError) -> [PlayerInput] {
        let decoder = JSONDecoder()
        let isArray = data.first(where: { !Self.whitespace.contains($0) }) == UInt8(ascii: "[")
        do {
            return isArray ? try decoder.decode([PlayerInput].self, from: data)
                           : [try decoder.decode(PlayerInput.self, from: data)]
        } catch let error as DecodingError {
            throw PlayerInputFileError(file: source, decoding: error)
        } catch {
            throw PlayerInputFileError(file: source, jsonPath: "$", detail: "\(error)")
        }
    }

    /// Reads and parses the file at `path`.
    /// - Throws: ``PlayerInputFileError`` when the file is missing, unreadable or malformed.
    public static func load(path: String) throws(PlayerInputFileError) -> [PlayerInput] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PlayerInputFileError(file: path, jsonPath: nil, detail: "cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, source: path)
    }

    private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
}

/// Why a player input file could not be used: the file, the JSON path (`$[2].features`), what is wrong.
public struct PlayerInputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// Where in the document, e.g. `$[2].game_date`; nil when the file itself is the problem.
    public var jsonPath: String?
    /// What is wrong.
    public var detail: String

    /// Creates an error.
    public init(file: String, jsonPath: String?, detail: String) {
        self.file = file
        self.jsonPath = jsonPath
        self.detail = detail
    }

    /// Translates a `DecodingError` into a path and a sentence.
    init(file: String, decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("$") { path, key in key.intValue.map { "\(path)[\($0)]" } ?? "\(path).\(key.stringValue)" }
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(file: file, jsonPath: path(context.codingPath), detail: "required key '\(key.stringValue)' is missing")
        case .typeMismatch(let type, let context):
            self.init(file: file, jsonPath: path(context.codingPath),
                      detail: "expected \(Self.jsonTypeName(type)) (\(context.debugDescription))")
        case .valueNotFound(let type, let context):
            self.init(file: file, jsonPath: path(context.codingPath), detail: "expected \(Self.jsonTypeName(type)), found null")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            self.init(file: file, jsonPath: path(context.codingPath), detail: context.debugDescription + underlying)
        @unknown default:
            self.init(file: file, jsonPath: "$", detail: "\(error)")
        }
    }

    /// `input file <file>: at <path>: <detail>; expected a PlayerInput object or an array of
    /// them (…)`, or `input file <file>: <detail>` when the file itself cannot be read.
    public var description: String {
        guard let jsonPath else { return "input file \(file): \(detail)" }
        return "input file \(file): at \(jsonPath): \(detail); expected a PlayerInput object or an array of them "
            + "(see `propcast predict --help`)"
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
