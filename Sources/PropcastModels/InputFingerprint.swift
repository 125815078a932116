import PropcastDigest

/// The SHA-256 of the canonical form of the inputs a row was predicted from: the features,
/// the quality score, the data source, the recent games and the row's line (Protocols/JOURNAL.md,
/// "Input fingerprints"). Part of the prediction id, so changed inputs give a new id.
public struct InputFingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    /// Parses 64 lowercase hex digits; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = hex
    }

    /// The fingerprint of `input` predicted against `line` (nil = no line; used for rows
    /// without a line and for skips, which apply to every line).
    public init(_ input: PlayerInput, line: LineValue?) {
        var canonical = CanonicalInputs(input)
        self = canonical.fingerprint(line: line)
    }

    fileprivate init(digest: [UInt8]) { hex = SHA256Digest.hexDigits(digest) }

    public var description: String { hex }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = InputFingerprint(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "input fingerprint '\(text)' is not 64 lowercase hex digits"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// The canonical byte form of one player's inputs, built once per player; each line's
/// fingerprint appends only the `line` entry. Format (UTF-8, one entry per `\n`-ended line,
/// numbers as the 16 lowercase hex digits of their IEEE-754 binary64 bit pattern, `-` for an
/// absent value):
/// ```
/// propcast-inputs/1
/// feature <byte length of name>:<name> <value>      (v1_baseline_25 order, then others by name)
/// quality <value>
/// source <phase4|phase3|mixed|mock>
/// game <YYYY-MM-DD> <points> <opp_def_rating|-> <days_rest as decimal int32|-> <is_home 1|0|-> <avg_last_5|-> <avg_season|->
/// line <value|none>
/// ```
struct CanonicalInputs {
    private let prefix: [UInt8]
    private var buffer: [UInt8] = []

    init(_ input: PlayerInput) {
        // Bytes appended one by one, no `String` per entry: this runs for every player of a date
        // in the worker, the coordinator's plan and its answer checks.
        var bytes = Array("propcast-inputs/1\n".utf8)
        bytes.reserveCapacity(64 + 48 * input.features.count + 100 * input.recentGames.count)
        for (name, value) in FeatureSet.canonicalOrder(input.features) {
            bytes += Self.featureTag
            ASCIIDecimal.append(name.utf8.count, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes += name.utf8
            bytes.append(UInt8(ascii: " "))
            Self.appendBits(value, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes += "quality ".utf8
        Self.appendBits(input.featureQualityScore, to: &bytes)
        bytes += "\nsource \(input.dataSource.rawValue)\n".utf8
        for game in input.recentGames {
            bytes += Self.gameTag
            game.gameDate.appendASCII(to: &bytes)
            bytes.append(UInt8(ascii: " "))
            Self.appendBits(game.points, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            Self.appendOptional(game.opponentDefRatingLast15, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            if let daysRest = game.daysRest {
                ASCIIDecimal.append(Int(Int32(clamping: daysRest)), to: &bytes)
            } else {
                bytes.append(UInt8(ascii: "-"))
            }
            bytes.append(UInt8(ascii: " "))
            bytes.append(game.isHome.map { $0 ? UInt8(ascii: "1") : UInt8(ascii: "0") } ?? UInt8(ascii: "-"))
            bytes.append(UInt8(ascii: " "))
            Self.appendOptional(game.pointsAvgLast5, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            Self.appendOptional(game.pointsAvgSeason, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        prefix = bytes
    }

    private static let featureTag = Array("feature ".utf8)
    private static let gameTag = Array("game ".utf8)

    /// The fingerprint of these inputs against `line`.
    mutating func fingerprint(line: LineValue?) -> InputFingerprint {
        buffer.removeAll(keepingCapacity: true)
        buffer += prefix
        buffer += "line ".utf8
        if let line { Self.appendBits(line.rawValue, to: &buffer) } else { buffer += "none".utf8 }
        buffer.append(UInt8(ascii: "\n"))
        return InputFingerprint(digest: SHA256Digest.hash(buffer))
    }

    private static func appendOptional(_ value: Double?, to bytes: inout [UInt8]) {
        if let value { appendBits(value, to: &bytes) } else { bytes.append(UInt8(ascii: "-")) }
    }

    private static func appendBits(_ value: Double, to bytes: inout [UInt8]) {
        var bits = value.bitPattern
        var digits: (UInt64, UInt64) = (0, 0)  // the 16 hex digits, written last first, appended at once
        withUnsafeMutableBytes(of: &digits) { text in
            for index in stride(from: 15, through: 0, by: -1) {
                text[index] = SHA256Digest.hexDigit(UInt8(bits & 0xF))
                bits >>= 4
            }
            bytes.append(contentsOf: text)
        }
    }
}
