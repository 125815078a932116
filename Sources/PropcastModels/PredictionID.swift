import PropcastDigest
import Foundation

/// A prediction's deterministic identity: a UUID (version 8, RFC 9562) made from the first
/// 16 bytes of SHA-256(`<game_date>|<player>|<game_id>|<system>|<line or none>|<model_version>|<input fingerprint>`)
/// (Protocols/JOURNAL.md). The same inputs give the same id, so re-running, retrying or
/// resuming never duplicates a row; changed inputs give a new id. Rows journaled before
/// fingerprints existed have none, and their key ends at the model version.
public struct PredictionID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID

    public init(uuid: UUID) { self.uuid = uuid }

    /// Derives the id (the one place it is derived).
    public init(gameDate: GameDate, player: PlayerLookup, gameID: GameID, system: SystemID,
                line: LineValue?, modelVersion: String, inputFingerprint: InputFingerprint?) {
        self.init(gameDateText: gameDate.description, player: player, gameID: gameID, system: system,
                  line: line, modelVersion: modelVersion, inputFingerprint: inputFingerprint)
    }

    /// Derives the id with the date already formatted as `YYYY-MM-DD` (hot paths format it once).
    public init(gameDateText: String, player: PlayerLookup, gameID: GameID, system: SystemID,
                line: LineValue?, modelVersion: String, inputFingerprint: InputFingerprint?) {
        self.init(gameDateText: gameDateText, player: player, gameID: gameID, system: system,
                  lineText: line.map(\.description) ?? "none", modelVersion: modelVersion, inputFingerprint: inputFingerprint)
    }

    /// Derives the id with the line already formatted (``LineValue/description`` or `none`).
    init(gameDateText: String, player: PlayerLookup, gameID: GameID, system: SystemID,
         lineText: String, modelVersion: String, inputFingerprint: InputFingerprint?) {
        var key = [UInt8]()
        key.reserveCapacity(192)
        func field(_ text: String) {
            key.append(UInt8(ascii: "|"))
            key += text.utf8
        }
        key += gameDateText.utf8
        field(player.rawValue)
        field(gameID.rawValue)
        field(system.rawValue)
        field(lineText)
        field(modelVersion)
        if let inputFingerprint { field(inputFingerprint.hex) }
        let digest = SHA256Digest.hash(key)
        var bytes = (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                     digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15])
        bytes.6 = (bytes.6 & 0x0F) | 0x80  // version 8
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 9562 variant
        uuid = UUID(uuid: bytes)
    }

    /// The id `row`'s fields derive to (what the journal checks a stored id against).
    public init(deriving row: PredictionRow, gameDateText: String) {
        self.init(gameDateText: gameDateText, player: row.player, gameID: row.gameID, system: row.systemID,
                  line: row.line, modelVersion: row.modelVersion, inputFingerprint: row.inputFingerprint)
    }

    /// Parses the lowercase or uppercase textual form (8-4-4-4-12 hex digits).
    public init?(_ text: String) {
        var text = text
        guard let id = text.withUTF8({ PredictionID(utf8: $0) }) else { return nil }
        self = id
    }

    /// Parses the textual form from its UTF-8 bytes (the journal reader's hot path: no `String`).
    public init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var count = 0
            var high: UInt8?
            for (offset, character) in text.enumerated() {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard character == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let value = Self.hexValue(character) else { return false }
                if let first = high {
                    out[count] = first << 4 | value
                    count += 1
                    high = nil
                } else {
                    high = value
                }
            }
            return count == 16
        }
        guard parsed else { return nil }
        uuid = UUID(uuid: bytes)
    }

    /// Lowercase textual form, as written to the journal.
    public var description: String {
        withUnsafeBytes(of: uuid.uuid) { raw in
            var out = [UInt8]()
            out.reserveCapacity(36)
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(SHA256Digest.hexDigit(byte >> 4))
                out.append(SHA256Digest.hexDigit(byte & 0x0F))
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = PredictionID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "prediction id '\(text)' is not a UUID"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
