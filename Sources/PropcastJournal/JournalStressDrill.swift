import Foundation
import PropcastModels

/// The crash drill behind the hidden `propcast journal stress-append`: appends synthetic
/// predictions as fast as it can and reports each seq right after its append returned, so a
/// test that kills the process knows which records were acknowledged.
public struct JournalStressDrill: Sendable {
    public var directory: String
    public var date: GameDate
    /// Predictions to append; 0 = until killed.
    public var count = 0
    /// Concurrent appending tasks.
    public var appenders = 4

    public init(directory: String, date: GameDate) {
        self.directory = directory
        self.date = date
    }

    /// Appends until `count` (or forever); `acknowledged` gets each durable seq.
    public func run(writer: JournalWriter, acknowledged: @escaping @Sendable (UInt64) -> Void) async throws {
        let (date, count, appenders) = (self.date, self.count, self.appenders)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<appenders {
                group.addTask {
                    var number = task
                    while count == 0 || number < count {
                        if let seq = try await writer.appendPredictions([Self.row(date: date, player: number)])[0].seq {
                            acknowledged(seq)
                        }
                        number += appenders
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func row(date: GameDate, player number: Int) -> PredictionRow {
        let player = PlayerLookup("stress\(getpid())_\(number)")  // new rows in every run
        let game = GameID("stress_game")
        let id = PredictionID(gameDate: date, player: player, gameID: game, system: .movingAverage, line: nil,
                              modelVersion: "v1", inputFingerprint: nil)
        return PredictionRow(predictionID: id, systemID: .movingAverage, player: player, gameDate: date, gameID: game,
                             predictedPoints: 20, confidenceScore: 50, recommendation: .pass, line: nil,
                             lineMargin: nil, extras: [:], modelVersion: "v1", inputFingerprint: nil)
    }
}
