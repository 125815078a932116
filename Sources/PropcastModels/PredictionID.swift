import COpenSSL
import Foundation

/// A prediction's deterministic identity: a UUID (version 8, RFC 9562) made from the
/// SHA-256 of (game date, player, game, system, line, model version). Re-running,
/// retrying or resuming a batch produces the same id, so the journal can refuse duplicates.
public struct PredictionID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID

    public init(uuid: UUID) { self.uuid = uuid }

    /// Derives the id. `line` nil means "no line offered" and is spelled `none`.
    public init(gameDate: GameDate, player: PlayerLookup, gameID: GameID, system: SystemID,
                line: LineValue?, modelVersion: String) {
        let key = [gameDate.description, player.rawValue, gameID.rawValue, system.rawValue,
                   line.map(\.description) ?? "none", modelVersion].joined(separator: "|")
        var bytes = Array(SHA256Digest.hash(Array(key.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
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
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in hash(bytes) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
