import Foundation
import PropcastModels

/// What a backfill did, for its last line: dates run, skipped and failed, predictions, time,
/// worker connections and the exit status (the worst of the dates').
public struct BackfillSummary: Sendable {
    public let from: GameDate
    public let to: GameDate
    public let datesWithGames: Int
    public let ran: Int
    public let alreadyComplete: Int
    public let failed: Int
    public let predictions: Int
    /// Sessions established with workers over the whole backfill (one per worker unless one was lost).
    public let workerConnections: Int
    public let elapsed: Duration
    public let exitStatus: ExitStatus

    /// The summary of `results`, the dates with games from `from` to `to`.
    public init(from: GameDate, to: GameDate, results: [BackfillDateResult], workerConnections: Int, elapsed: Duration) {
        self.from = from
        self.to = to
        datesWithGames = results.count
        var ran = 0, complete = 0, failed = 0, predictions = 0
        for result in results {
            switch result.outcome {
            case .ran(let report):
                ran += 1
                predictions += report.statistics.predictionsWritten
            case .alreadyComplete: complete += 1
            case .failed: failed += 1
            }
        }
        (self.ran, alreadyComplete, self.failed, self.predictions) = (ran, complete, failed, predictions)
        self.workerConnections = workerConnections
        self.elapsed = elapsed
        exitStatus = BackfillRunner.exitStatus(of: results)
    }

    /// `backfill D1…D2: N dates with games, … predictions in S s; C worker connections; exit E`.
    public var line: String {
        String(format: "backfill %@…%@: %d dates with games, %d run, %d complete already, %d failed, "
               + "%d predictions in %.2f s; %d worker connections; exit %d", from.description, to.description,
               datesWithGames, ran, alreadyComplete, failed, predictions, elapsed / .seconds(1), workerConnections,
               exitStatus.rawValue)
    }
}
