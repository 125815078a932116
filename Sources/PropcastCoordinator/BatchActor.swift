import Logging
import PropcastJournal
import PropcastModels
import PropcastWire

/// The I/O shell around one batch's ``BatchStateMachine``: turns link and timer events into
/// machine events and performs the actions it returns — sends requests, checks and journals
/// answers off the actor, journals failures, closes workers, and wakes whoever waits for the
/// first worker or the end. One timer, set to the machine's next deadline; no polling.
public actor BatchActor {
    /// How a run ended.
    public enum Outcome: String, Sendable {
        /// Every player is done, skipped or failed.
        case finished
        /// The stop signal arrived first.
        case interrupted
        /// No worker was up for the grace period; the rest is left for `batch retry`.
        case abandoned
    }

    var machine: BatchStateMachine
    /// Inputs by player index; released once the player's answer is journaled.
    var inputs: [PlayerInput?]
    /// The rows each player's answer must consist of (set by ``start(plan:)`` or
    /// ``add(inputs:plan:)``); released once the player has its coverage verdict.
    var expectations: [ExpectedPredictions?]
    /// The verdicts of players that left the batch (and of those the plan found complete).
    var coverage = CoverageTally()
    let journal: any BatchJournal
    let logger: Logger
    var outbounds: [WorkerID: any WorkerOutbound] = [:]
    /// Counters and latencies kept by the shell (the machine counts the rest).
    var tallies: BatchStatistics
    var outcome: Outcome?
    private var overWaiters: [CheckedContinuation<Outcome, Never>] = []
    private var firstWorkerWaiters: [CheckedContinuation<[SystemID: String]?, Never>] = []
    private var firstWorkerSettled = false
    var roomWaiters: [(limit: Int, waiter: CheckedContinuation<Void, Never>)] = []
    /// "worker unavailable" at most every 30 s per worker while its link keeps retrying.
    var unreachableWarnings = RepeatedWarnings<WorkerID>(interval: .seconds(30))
    /// Answers being checked and failures being journaled.
    var writesInFlight = 0
    private var writesWaiters: [CheckedContinuation<Void, Never>] = []
    private var timer: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)?
    private var timerGeneration = 0
    private let progress: @Sendable (BatchProgress) -> Void
    private var lastProgress = ContinuousClock.now
    private let started = ContinuousClock.now

    /// A batch with the configured `workers`, journaling to `journal`; its players arrive in
    /// chunks (``beginLoading(expecting:)``, ``add(inputs:plan:)``, ``loadingFinished()``) while
    /// its links connect. `progress` is called about once a second while answers arrive, and once when it ends.
    public init(workers: [WorkerID], journal: any BatchJournal, configuration: BatchStateMachine.Configuration,
                logger: Logger, progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) {
        self.machine = BatchStateMachine(players: [], workers: workers, configuration: configuration)
        self.inputs = []
        self.expectations = []
        self.journal = journal
        self.logger = logger
        self.progress = progress
        self.tallies = BatchStatistics(playersToPredict: 0)
    }

    /// Counters and latencies for the summary.
    public var statistics: BatchStatistics {
        var statistics = tallies
        statistics.events = machine.counters
        return statistics
    }

    /// Refused workers and why, by address.
    public var refusedWorkers: [String: String] {
        Dictionary(uniqueKeysWithValues: machine.refusedWorkers.map { ($0.key.address, $0.value) })
    }

    /// The last problem of each worker that has one, by address.
    public var workerErrors: [String: String] {
        Dictionary(uniqueKeysWithValues: machine.workerErrors.map { ($0.key.address, $0.value) })
    }

    /// True once every player is done, skipped or failed.
    public var isFinished: Bool { machine.isFinished }

    /// True once the batch finished, was stopped or was abandoned.
    public var isOver: Bool { outcome != nil }

    // MARK: The run's waits

    /// Suspends until a first worker is accepted (its model versions) or none is reachable
    /// within the grace period or the batch is stopped (nil).
    public func waitForFirstWorker() async -> [SystemID: String]? {
        if let versions = machine.modelVersions { return versions }
        if firstWorkerSettled || outcome != nil { return nil }
        rescheduleTimer()
        return await withCheckedContinuation { firstWorkerWaiters.append($0) }
    }

    /// Suspends until the batch finished, was abandoned or was stopped.
    public func waitUntilOver() async -> Outcome {
        if let outcome { return outcome }
        return await withCheckedContinuation { overWaiters.append($0) }
    }

    /// Stops the batch (the stop signal): nothing more is sent, later answers are ignored.
    public func interrupt() {
        end(.interrupted)
    }

    /// Suspends until every answer already received is journaled or refused and every
    /// failure journaled.
    public func waitForJournaling() async {
        if writesInFlight == 0 { return }
        await withCheckedContinuation { writesWaiters.append($0) }
    }

    // MARK: Performing actions

    func perform(_ actions: [BatchStateMachine.Action]) {
        var frame: [BatchStateMachine.Assignment] = []
        for action in actions {
            if case .send(let assignment) = action {
                if let last = frame.last, last.frame != assignment.frame { send(frame) ; frame = [] }
                frame.append(assignment)
                continue
            }
            if !frame.isEmpty { send(frame) ; frame = [] }
            switch action {
            case .send: break  // gathered into frames above
            case .check: break  // handled where the result is at hand
            case .journalFailure(let player, let attempts, let reason): journalFailure(player, attempts: attempts, reason: reason)
            case .closeWorker(let worker, let reason): close(worker, reason: reason)
            case .workersAgreed(let versions): settleFirstWorker(versions)
            case .noWorkerReachable: settleFirstWorker(nil)
            case .finished: end(.finished)
            case .giveUp(let reason):
                logger.error("\(reason); stopping and leaving the rest for `batch retry`")
                end(.abandoned)
            }
        }
        if !frame.isEmpty { send(frame) }
        rescheduleTimer()
        reportProgress()
        wakeRoomWaiters()
    }

    /// Sends one frame's assignments (all to the same worker) as one PredictBatch.
    private func send(_ frame: [BatchStateMachine.Assignment]) {
        guard let outbound = outbounds[frame[0].worker] else {
            for assignment in frame { machine.sendFailed(assignment) }
            return
        }
        var batch = WirePredictBatch()
        var sent: [BatchStateMachine.Assignment] = []
        batch.requests.reserveCapacity(frame.count)
        sent.reserveCapacity(frame.count)
        for assignment in frame {
            guard let input = inputs[assignment.player] else { machine.sendFailed(assignment); continue }
            batch.requests.append(WirePredictRequest(input, requestID: assignment.requestID, attempt: UInt32(assignment.attempt)))
            sent.append(assignment)
        }
        guard !sent.isEmpty else { return }
        Task {
            do { try await outbound.send(Envelope(.predictBatch(batch))) } catch {
                for assignment in sent { self.machine.sendFailed(assignment) }
            }
        }
    }

    private func close(_ worker: WorkerID, reason: String) {
        guard let outbound = outbounds.removeValue(forKey: worker) else { return }
        logger.error("closing worker", metadata: ["worker": "\(worker)", "reason": "\(reason)"])
        outbound.close(with: .goodbye(.protocolError, reason))
    }

    private func settleFirstWorker(_ versions: [SystemID: String]?) {
        firstWorkerSettled = true
        let waiters = firstWorkerWaiters
        firstWorkerWaiters = []
        for waiter in waiters { waiter.resume(returning: versions) }
    }

    func end(_ how: Outcome) {
        guard outcome == nil else { return }
        reportProgress(final: true)
        outcome = how
        machine.stop()
        timer?.task.cancel()
        timer = nil
        settleFirstWorker(machine.modelVersions)
        for (_, outbound) in outbounds { outbound.close(with: .goodbye(.normal, "batch \(how.rawValue)")) }
        outbounds = [:]
        let waiters = overWaiters
        overWaiters = []
        for waiter in waiters { waiter.resume(returning: how) }
        wakeRoomWaiters()
    }

    /// One timer at the machine's next deadline.
    private func rescheduleTimer() {
        guard outcome == nil, let deadline = machine.nextDeadline() else { return }
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        timerGeneration += 1
        let generation = timerGeneration
        timer = (deadline, Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.timerFired(generation)
        })
    }

    private func timerFired(_ generation: Int) {
        guard generation == timerGeneration, outcome == nil else { return }
        timer = nil
        perform(machine.tick(now: .now))
    }

    /// About once a second while answers arrive, and once more (`final`) when the batch ends,
    /// so a display's last frame shows the end state.
    private func reportProgress(final: Bool = false) {
        let now = ContinuousClock.now
        guard final || now - lastProgress >= .seconds(1) else { return }
        lastProgress = now
        let statistics = tallies
        progress(BatchProgress(finished: statistics.playersFinished, total: statistics.playersToPredict,
                               workersUp: machine.workersUp, elapsed: now - started))
    }

    /// One write (an answer's check and journal, or a failure record) is over.
    func writeSettled() {
        writesInFlight -= 1
        guard writesInFlight == 0 else { return }
        let waiters = writesWaiters
        writesWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
