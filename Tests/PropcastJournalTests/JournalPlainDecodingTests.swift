import Foundation
@testable import PropcastJournal
import PropcastModels
import Testing

/// The plain reader of prediction lines against `JSONDecoder`, the authority it stands in for:
/// whatever it reads must decode to exactly the same record, bit for bit and case for case, and
/// whatever is not in the writer's plain form must be left to `JSONDecoder`.
struct JournalPlainDecodingTests {
    private static let date = GameDate("2025-01-15")!

    private static func row(player: String = "player1", line: Double? = 24.5, extras: [String: ExtraValue],
                            fingerprint: Bool = true, margin: Double? = nil, predicted: Double = 26.25) -> PredictionRow {
        let lookup = PlayerLookup(player), game = GameID("20250115_LAL_BOS"), value = line.map(LineValue.init(rawValue:))
        let print = fingerprint ? InputFingerprint(hex: String(repeating: "5a", count: 32)) : nil
        return PredictionRow(
            predictionID: PredictionID(gameDate: date, player: lookup, gameID: game, system: .similarity, line: value,
                                       modelVersion: "v1", inputFingerprint: print),
            systemID: .similarity, player: lookup, gameDate: date, gameID: game, predictedPoints: predicted,
            confidenceScore: 61.5, recommendation: line == nil ? .pass : .over, line: value,
            lineMargin: margin ?? line.map { predicted - $0 }, extras: extras, modelVersion: "v1", inputFingerprint: print)
    }

    /// Rows in every shape the systems write: extras of each kind, no line, no fingerprint,
    /// non-ASCII text, numbers in exponent form and at the edges of their types.
    private static let rows: [PredictionRow] = [
        row(extras: ["similar_games_count": .integer(14), "adjustment": .number(1.25)]),
        row(line: nil, extras: [:], fingerprint: false),
        row(player: "nikolajokić", extras: ["systems_used": .list(["moving_average", "zoné"]), "note": .text("ünïcode")]),
        row(extras: ["tiny": .number(0.00001), "big": .integer(Int.max), "low": .integer(-42), "zero": .integer(0),
                     "minute": .number(-1.5e-300), "empty": .list([])], margin: 3.8000000000000007),
        row(line: 0.5, extras: ["negative": .number(-0.75)], margin: -12.125, predicted: 0),
    ]

    private static func line(_ row: PredictionRow, seq: UInt64 = 7, prev: String = String(repeating: "ab", count: 32)) throws -> [UInt8] {
        JournalLine.seal(seq: seq, prev: prev, timestamp: "2025-01-15T18:00:01.123Z",
                         type: .prediction, payload: try JournalLine.encodePredictionPayload(row, dateText: "\(date)"))
    }

    private static func body(_ line: [UInt8]) -> ArraySlice<UInt8> { line[9...] }

    private static func decoded(_ json: ArraySlice<UInt8>) -> JournalRecord? {
        try? JSONDecoder().decode(JournalRecord.self, from: Data(json))
    }

    /// Every field, numbers as bit patterns and extras with their case: what `==` may blur.
    private static func exact(_ record: JournalRecord) -> String {
        guard case .prediction(let row) = record.entry else { return "\(record)" }
        let numbers = [row.predictedPoints, row.confidenceScore, row.line?.rawValue, row.lineMargin].map { $0.map { "\($0.bitPattern)" } ?? "nil" }
        let extras = row.extras.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(reflecting: $0.value))" }
        return "\(record.seq)|\(record.prev)|\(record.timestamp)|\(row.predictionID)|\(row.systemID)|\(row.player)|"
            + "\(row.gameDate)|\(row.gameID)|\(numbers)|\(row.recommendation)|\(row.modelVersion)|"
            + "\(row.inputFingerprint?.hex ?? "nil")|\(extras)"
    }

    @Test func everyWrittenShapeReadsPlainAndEqualsJSONDecoder() throws {
        for row in Self.rows {
            let json = Self.body(try Self.line(row))
            let plain = try #require(JournalRecord(plainPrediction: json), "\(String(decoding: json, as: UTF8.self))")
            let reference = try #require(Self.decoded(json))
            #expect(Self.exact(plain) == Self.exact(reference))
            #expect(plain.entry == .prediction(row))
        }
    }

    @Test func formsOtherThanTheWritersAreLeftToJSONDecoder() throws {
        let written = String(decoding: Self.body(try Self.line(Self.rows[0])), as: UTF8.self)
        let others = [
            written.replacingOccurrences(of: "\"seq\":7", with: "\"seq\": 7"),                   // whitespace
            written.replacingOccurrences(of: "\"player1\"", with: "\"play\\u0065r1\""),          // an escape
            written.replacingOccurrences(of: "\"adjustment\":1.25", with: "\"adjustment\":2.0"),  // a whole number with a fraction
            written.replacingOccurrences(of: "\"adjustment\":1.25", with: "\"adjustment\":1.5e+300"),  // or an exponent
            written.replacingOccurrences(of: "\"seq\":7", with: "\"seq\":7.0"),
            written.replacingOccurrences(of: "\"seq\":7", with: "\"seq\":7,\"seq\":8"),           // a repeated member
            written.replacingOccurrences(of: "\"seq\":7", with: "\"seq\":7,\"comment\":\"x\""),   // an unknown member
            written.replacingOccurrences(of: "\"type\":\"prediction\"", with: "\"type\":\"batch_finished\""),
            written.replacingOccurrences(of: "\"type\":\"prediction\",", with: ""),               // no type (found by the fuzzer)
            written.replacingOccurrences(of: "\"line_value\":24.5", with: "\"line_value\":1e999"),
            written + " ",
        ]
        for text in others {
            #expect(text != written)
            #expect(JournalRecord(plainPrediction: Array(text.utf8)[...]) == nil, "\(text)")
        }
        // The escaped form still reads, through JSONDecoder, to the same row.
        var scanner = JournalScanner(date: Self.date)
        let escaped = try Self.line(Self.row(extras: ["note": .text("q\"x\t")]), seq: 1, prev: JournalLine.genesisHash(for: Self.date))
        guard case .record(let record) = scanner.scan(line: escaped[...]) else { Issue.record("not a record"); return }
        #expect(JournalRecord(plainPrediction: escaped[9...]) == nil)
        #expect(record.entry == .prediction(Self.row(extras: ["note": .text("q\"x\t")])))
    }

    /// Every one-byte change and every one-byte cut of written lines: what the plain reader
    /// accepts, JSONDecoder decodes to exactly the same record.
    @Test func mutatedLinesNeverReadDifferentlyFromJSONDecoder() throws {
        let replacements = Array(" 09-+.eE\",:{}[]nul\\a".utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        var accepted = 0, compared = 0
        for row in [Self.rows[0], Self.rows[2]] {
            let json = Array(Self.body(try Self.line(row)))
            for position in json.indices {
                var variants = replacements.filter { $0 != json[position] }.map { byte -> [UInt8] in
                    var changed = json
                    changed[position] = byte
                    return changed
                }
                var cut = json
                cut.remove(at: position)
                variants.append(cut)
                for variant in variants {
                    compared += 1
                    guard let plain = JournalRecord(plainPrediction: variant[...]) else { continue }
                    accepted += 1
                    let reference = Self.decoded(variant[...])
                    #expect(reference.map(Self.exact) == Self.exact(plain), "\(String(decoding: variant, as: UTF8.self))")
                }
            }
        }
        #expect(accepted > 500 && accepted < compared, "some variants are still plain lines (digits, letters), most are not")
    }
}
