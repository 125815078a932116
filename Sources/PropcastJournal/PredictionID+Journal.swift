import Foundation
import PropcastModels

extension PredictionID {
    /// The id ``PredictionID/init(gameDate:player:gameID:system:line:modelVersion:)`` derives for
    /// `row`, with the game date already formatted as `dateText` (formatting a `GameDate` goes
    /// through `String(format:)`, which dominated the append path). Tests pin it to the original.
    static func derived(for row: PredictionRow, dateText: String) -> PredictionID {
        let key = [dateText, row.player.rawValue, row.gameID.rawValue, row.systemID.rawValue,
                   row.line.map(\.description) ?? "none", row.modelVersion].joined(separator: "|")
        var bytes = Array(SHA256Digest.hash(Array(key.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return PredictionID(uuid: UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6],
                                              bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13],
                                              bytes[14], bytes[15])))
    }
}
