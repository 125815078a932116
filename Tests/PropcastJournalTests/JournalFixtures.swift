import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport

/// Rows, records and journals the journal tests share.
enum JournalFixtures {
    static let date = GameDate("2025-01-15")!
    /// The input fingerprint fixture rows carry.
    static let fixtureFingerprint = InputFingerprint(hex: String(repeating: "5a", count: 32))!

    /// A prediction row with a correctly derived id.
    static func row(player: String, system: SystemID = .movingAverage, line: Double? = 24.5,
                    date: GameDate = date, predicted: Double = 26.25) -> PredictionRow {
        let lookup = PlayerLookup(player)
        let game = GameID("20250115_LAL_BOS")
        let lineValue = line.map { LineValue($0) }
        return PredictionRow(
            predictionID: PredictionID(gameDate: date, player: lookup, gameID: game, system: system, line: lineValue,
                                       modelVersion: "v1", inputFingerprint: fixtureFingerprint),
            systemID: system, player: lookup, gameDate: date, gameID: game, predictedPoints: predicted,
            confidenceScore: 64, recommendation: line == nil ? .pass : .over, line: lineValue,
            lineMargin: line.map { predicted - $0 },
            extras: ["similar_games_count": .integer(14), "systems_used": .list(["a", "b"]), "note": .text("q\"x")],
            modelVersion: "v1", inputFingerprint: fixtureFingerprint)
    }

    /// Every system × `lines` lines for each of `players` players.
    static func rows(players: Int, lines: Int = 2, prefix: String = "player") -> [PredictionRow] {
        (0..<players).flatMap { number in
            SystemID.all.flatMap { system in
                (0..<lines).map { row(player: "\(prefix)\(number)", system: system, line: 20.5 + Double($0)) }
            }
        }
    }

    /// One record of every type, for `date`.
    static func mixedEntries() -> [JournalEntry] {
        [
            .batchStarted(.init(gameDate: date, coordinator: "coord-1", workers: ["w1:7420", "w2:7420"],
                                expectedPlayers: 3, config: ["retries": "3"])),
            .prediction(row(player: "alpha")),
            .prediction(row(player: "alpha", system: .xgboost)),
            .playerSkipped(.init(player: "beta", reasons: ["quality 62 < 70"])),
            .playerFailed(.init(player: "gamma", attempts: 3, lastReason: "worker lost")),
            .superseded(.init(predictionIDs: [row(player: "alpha", system: .xgboost).predictionID],
                              player: "alpha", line: LineValue(24.5), reason: "line withdrawn")),
            .batchFinished(.init(expectedPlayers: 3, playersCovered: 1, playersSkipped: 1, playersFailed: 1,
                                 playersMissing: 0, predictions: 1, playersWithPredictions: 1,
                                 coveragePercent: 100.0 / 3)),
        ]
    }

    /// A fresh temporary directory holding a journal of `entries` for `date`; returns the
    /// directory and the journal's bytes.
    static func journal(_ entries: [JournalEntry]) async throws -> (TemporaryDirectory, [UInt8]) {
        let directory = try TemporaryDirectory(prefix: "journal")
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        _ = try await writer.append(entries)
        await writer.close()
        return (directory, try bytes(of: JournalDirectory(directory.path).journalPath(for: date)))
    }

    static func bytes(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The journal's lines (without newlines).
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map(Array.init)
    }

    /// Lines joined back into journal bytes.
    static func joined(_ lines: [[UInt8]]) -> [UInt8] {
        lines.flatMap { $0 + [UInt8(ascii: "\n")] }
    }

    /// Verifies bytes as a journal of `date`.
    static func verdict(_ bytes: [UInt8]) -> JournalScanner.Verdict {
        JournalReader.scan(bytes: bytes, path: "test.journal", date: date).verdict
    }
}
