import Foundation
import Histogram
import PropcastJournal
import PropcastModels
import PropcastWire

/// Counters and request latencies of one batch, for the progress line and the summary.
public struct BatchStatistics: Sendable {
    /// Players this run sends to workers (excluding those already complete).
    public internal(set) var playersToPredict: Int
    public var playersPredicted = 0
    public var playersSkipped = 0
    public var playersFailed = 0
    /// Predictions newly written, per system.
    public var predictionsBySystem: [SystemID: Int] = [:]
    /// Predictions a worker returned that were already journaled (never written twice).
    public var duplicatesSuppressed = 0
    /// Per worker address: how many of its answers were refused (not journaled; the worker
    /// was disconnected), and the last reason.
    public var invalidAnswersByWorker: [String: (count: Int, lastReason: String)] = [:]
    /// Workers seen and lost (by `HOST:PORT`).
    public var workersConnected: Set<String> = []
    /// The state machine's event counts (retries, timeouts, stale answers, …).
    public internal(set) var events = BatchStateMachine.Counters()
    /// Players whose inputs the batch holds now (read from the store, not yet answered).
    public internal(set) var inputsHeld = 0
    /// The most inputs held at once: the store is read only as fast as the workers answer,
    /// so this stays near the workers' capacity plus the read-ahead, whatever the date's size.
    public internal(set) var mostInputsHeld = 0
    /// `fdatasync` calls of the journal during the run (group commit: about one per frame).
    public var journalSyncs: UInt64 = 0
    /// Request round-trip latency in microseconds.
    public var latencyMicros = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    init(playersToPredict: Int) {
        self.playersToPredict = playersToPredict
    }

    /// Players requeued after a failed attempt.
    public var retries: Int { events.retries }
    /// Requests not answered in time.
    public var timeouts: Int { events.timeouts }
    /// Answers that arrived after their player was already answered elsewhere.
    public var staleAnswers: Int { events.staleAnswers }
    /// Answers in which a system failed on the worker (the player was retried).
    public var incompleteAnswers: Int { events.incompleteAnswers }
    /// Connections to workers lost or dropped.
    public var workerDisconnects: Int { events.workerDisconnects }
    /// Request frames sent (each a PredictBatch of one or more players).
    public var framesSent: Int { events.framesSent }
    /// Requests answered BUSY.
    public var busyRejections: Int { events.busyRejections }

    /// Players answered so far (predicted, skipped or failed).
    public var playersFinished: Int { playersPredicted + playersSkipped + playersFailed }

    /// Answers refused by validation, over all workers.
    public var invalidAnswers: Int { invalidAnswersByWorker.values.reduce(0) { $0 + $1.count } }

    /// Predictions newly written in total.
    public var predictionsWritten: Int { predictionsBySystem.values.reduce(0, +) }

    mutating func recordLatency(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let micros = UInt64(max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        _ = latencyMicros.record(min(micros, 600_000_000))
    }

    /// Counts the predictions of an accepted answer that were new, and the duplicates.
    mutating func recordJournaled(_ entries: [JournalEntry], outcomes: [AppendOutcome]) {
        for (entry, outcome) in zip(entries, outcomes) {
            guard case .prediction(let row) = entry else { continue }
            if case .alreadyJournaled = outcome {
                duplicatesSuppressed += 1
            } else {
                predictionsBySystem[row.systemID, default: 0] += 1
            }
        }
    }

    mutating func inputHeld() {
        inputsHeld += 1
        mostInputsHeld = max(mostInputsHeld, inputsHeld)
    }

    mutating func inputReleased() { inputsHeld -= 1 }

    mutating func workerConnected(_ worker: String) { workersConnected.insert(worker) }
}
