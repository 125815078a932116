import COpenSSL
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
        var key = [UInt8]()
        key.reserveCapacity(192)
        for part in [gameDateText, player.rawValue, gameID.rawValue, system.rawValue] {
            key += part.utf8
            key.append(UInt8(ascii: "|"))
        }
        key += (line.map(\.description) ?? "none").utf8
        key.append(UInt8(ascii: "|"))
        key += modelVersion.utf8
        if let inputFingerprint {
            key.append(UInt8(ascii: "|"))
            key += inputFingerprint.hex.utf8
        }
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

    /// Parses the lowercase or uppercase textual form.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.uuid = uuid
    }

    /// Lowercase textual form, as written to the journal.
    public var description: String { uuid.uuidString.lowercased() }

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

/// SHA-256 through the system libcrypto (the same library the TLS layer uses).
public enum SHA256Digest {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "libcrypto SHA-256 failed")  // cannot fail for valid input
        return out
    }

    /// Lowercase hex of the SHA-256 digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String { hexDigits(hash(bytes)) }

    /// Lowercase hex of `bytes` as they are.
    static func hexDigits(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigit(byte >> 4))
            out.append(hexDigit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lowercase hex digit of a value 0–15.
    static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 48 + value : 87 + value }
}
