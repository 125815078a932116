import Foundation

/// Derives the ``PredictionID``s of one player's rows without rebuilding the shared parts of
/// the key for every row: the same key (`date|player|game|system|line|modelVersion`, line
/// `none` when absent), the same SHA-256 and the same UUID bits as
/// ``PredictionID/init(gameDate:player:gameID:system:line:modelVersion:)`` — the tests check
/// the two agree — but the date, player and game part is encoded once per player and each
/// line's text once per line.
struct PredictionIDFactory {
    /// `date|player|game|` as UTF-8.
    private let prefix: [UInt8]
    /// Reused key buffer.
    private var key: [UInt8] = []

    init(gameDate: GameDate, player: PlayerLookup, gameID: GameID) {
        var prefix: [UInt8] = []
        prefix += Self.dateBytes(gameDate)
        prefix.append(UInt8(ascii: "|"))
        prefix += player.rawValue.utf8
        prefix.append(UInt8(ascii: "|"))
        prefix += gameID.rawValue.utf8
        prefix.append(UInt8(ascii: "|"))
        self.prefix = prefix
        key.reserveCapacity(prefix.count + 96)
    }

    /// The text a line contributes to the key (`LineValue.description`, or `none`).
    static func lineText(_ line: LineValue?) -> [UInt8] {
        Array((line.map(\.description) ?? "none").utf8)
    }

    /// The id of the row of `system` at the line whose text is `lineText`.
    mutating func id(system: SystemID, lineText: [UInt8], modelVersion: String) -> PredictionID {
        key.removeAll(keepingCapacity: true)
        key += prefix
        key += system.rawValue.utf8
        key.append(UInt8(ascii: "|"))
        key += lineText
        key.append(UInt8(ascii: "|"))
        key += modelVersion.utf8
        let digest = SHA256Digest.hash(key)
        var bytes = (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                     digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15])
        bytes.6 = (bytes.6 & 0x0F) | 0x80  // version 8
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 9562 variant
        return PredictionID(uuid: UUID(uuid: bytes))
    }

    /// `YYYY-MM-DD` (years 0…9999 zero-padded, as `GameDate.description` prints them).
    private static func dateBytes(_ date: GameDate) -> [UInt8] {
        guard (0...9999).contains(date.year) else { return Array(date.description.utf8) }
        func digits(_ value: Int, _ count: Int) -> [UInt8] {
            var out = [UInt8](repeating: UInt8(ascii: "0"), count: count)
            var rest = value
            for index in stride(from: count - 1, through: 0, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return out
        }
        return digits(date.year, 4) + [UInt8(ascii: "-")] + digits(date.month, 2) + [UInt8(ascii: "-")] + digits(date.day, 2)
    }
}
