import Logging
import NIOCore
import PropcastJournal
import PropcastModels
import PropcastWire

/// Owns one batch's ``BatchStateMachine`` and journal: hands requests to workers within
/// their credits, checks every answer (``AnswerValidator``) and journals it (group commit)
/// before it counts, requeues the work of lost, draining, silent or lying workers, and
/// stops cleanly when asked.
public actor BatchActor {
    /// Where to send a worker's requests.
    struct WorkerHandle: Sendable {
        let outbound: NIOAsyncChannelOutboundWriter<Envelope>
    }

    var machine: BatchStateMachine
    let inputs: [PlayerLookup: PlayerInput]
    let journal: JournalWriter
    let health: WorkerHealthBoard
    let configuration: BatchConfiguration
    var handles: [BatchStateMachine.WorkerID: WorkerHandle] = [:]
    var modelVersions: [SystemID: String]?
    /// The rows each player's answer must consist of (set by ``start(plan:)``).
    var expectations: [PlayerLookup: ExpectedPredictions] = [:]
    private var sentAt: [UInt64: ContinuousClock.Instant] = [:]
    private var finishedWaiters: [CheckedContinuation<Void, Never>] = []
    private var firstWorkerWaiters: [CheckedContinuation<Void, Never>] = []
    private var journalingWaiters: [CheckedContinuation<Void, Never>] = []
    private var stoppedWaitingForWorkers = false
    /// Answers received and not yet journaled (or refused).
    var answersBeingJournaled = 0
    /// Nothing is sent until the run has planned against the journal (``start(plan:)``), and
    /// nothing more once it is stopped.
    private var dispatching = false
    /// Set by ``abandon()``: the run is ending; later answers, losses and timeouts are
    /// ignored, so nothing is journaled after the run's last count.
    var closing = false
    let logger: Logger
    /// Counters and latencies for the summary.
    public internal(set) var statistics: BatchStatistics

    init(inputs: [PlayerInput], journal: JournalWriter, health: WorkerHealthBoard, configuration: BatchConfiguration,
         logger: Logger) {
        self.machine = BatchStateMachine(players: inputs.map(\.player), maxAttempts: configuration.maxAttempts,
                                         requestTimeout: configuration.requestTimeout)
        self.inputs = Dictionary(uniqueKeysWithValues: inputs.map { ($0.player, $0) })
        self.journal = journal
        self.health = health
        self.configuration = configuration
        self.logger = logger
        self.statistics = BatchStatistics(playersToPredict: inputs.count)
    }

    /// True once every player is done, skipped or failed.
    public var isFinished: Bool { machine.isFinished }

    /// Workers currently taking work.
    public var workersUp: Int { machine.workersUp }

    /// Suspends until the batch is finished (or abandoned or stopped).
    func waitUntilFinished() async {
        if machine.isFinished || closing { return }
        await withCheckedContinuation { finishedWaiters.append($0) }
    }

    /// Suspends until a first worker is connected (or the wait is called off).
    func waitForFirstWorker() async {
        if modelVersions != nil || stoppedWaitingForWorkers { return }
        await withCheckedContinuation { firstWorkerWaiters.append($0) }
    }

    /// Suspends until every answer already received is journaled or refused.
    func waitForJournaling() async {
        if answersBeingJournaled == 0 { return }
        await withCheckedContinuation { journalingWaiters.append($0) }
    }

    /// Gives up on the batch (no worker left, or a stop was requested): sends nothing more
    /// and releases ``waitUntilFinished()`` callers; unanswered players stay missing for
    /// `batch retry`.
    func abandon() {
        dispatching = false
        closing = true
        let waiters = finishedWaiters
        finishedWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Releases ``waitForFirstWorker()`` callers without a worker (e.g. on timeout).
    func stopWaitingForWorkers() {
        stoppedWaitingForWorkers = true
        let waiters = firstWorkerWaiters
        firstWorkerWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Starts dispatching the players the plan left to do.
    func start(plan: BatchPlan) async {
        expectations = plan.expectations
        machine.markAlreadyComplete(plan.alreadyComplete)
        dispatching = true
        await pump()
        await checkFinished()
    }

    // MARK: Worker events

    /// A worker is connected. Refuses it (returns the reason) if it does not announce all
    /// five systems, or its models differ from the first worker's (prediction ids include
    /// the model version), or it was refused earlier in this batch.
    func workerUp(_ worker: String, info: WorkerInfo, outbound: NIOAsyncChannelOutboundWriter<Envelope>) async -> String? {
        if let refusal = await health.refusal(of: worker) { return refusal }
        let versions = Dictionary(info.modelVersions.map { (SystemID(rawValue: $0.systemID), $0.version) }) { $1 }
        let missing = SystemID.all.filter { versions[$0] == nil }
        if !missing.isEmpty {
            return "worker \(worker) does not announce \(missing.map(\.rawValue).joined(separator: ", ")); "
                + "every worker must run all five systems"
        }
        if let expected = modelVersions, expected != versions {
            return "worker \(worker) runs models \(versions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }) "
                + "but this batch uses \(expected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }); "
                + "deploy the same Ops/models to every worker"
        }
        modelVersions = versions
        handles[worker] = WorkerHandle(outbound: outbound)
        machine.workerUp(worker, slots: Int(info.slots))
        statistics.workerConnected(worker)
        stopWaitingForWorkers()
        await pump()
        return nil
    }

    /// The worker sent Drain: no new work for it.
    func workerDraining(_ worker: String) {
        machine.workerDraining(worker)
    }

    /// The worker's connection ended.
    func workerDown(_ worker: String, reason: String) async {
        guard handles.removeValue(forKey: worker) != nil, !closing else { return }
        statistics.workerLost(worker)
        let outcomes = machine.workerDown(worker, reason: "worker \(worker) lost: \(reason)")
        if !outcomes.isEmpty {
            logger.warning("requeued work of lost worker", metadata: ["worker": "\(worker)", "requests": "\(outcomes.count)"])
        }
        await handle(outcomes)
        await pump()
    }

    /// The models every connected worker runs (nil until the first worker connects).
    var agreedModelVersions: [SystemID: String]? { modelVersions }

    // MARK: Answers

    /// A worker answered. The credit is reused at once; the answer is checked and journaled
    /// in its own task so the worker's read loop never waits for an fsync (concurrent answers
    /// then share one group commit). The player counts as done only once its records are durable.
    func resultReceived(_ result: WirePredictResult, from worker: String) async {
        guard !closing else { return }
        recordLatency(result.requestID)
        guard let player = machine.resultArrived(requestID: result.requestID), let input = inputs[player] else {
            statistics.staleAnswers += 1
            await pump()
            return
        }
        answersBeingJournaled += 1
        let attempt = machine.attempts(of: player)
        Task { await self.journal(result, for: input, attempt: attempt, from: worker) }
        await pump()
    }

    func rejected(_ rejection: WirePredictRejected, from worker: String) async {
        guard !closing else { return }
        recordLatency(rejection.requestID)
        let countsAsAttempt = rejection.code != .busy && rejection.code != .draining
        if rejection.code == .draining { machine.workerDraining(worker) }
        let outcome = machine.rejected(requestID: rejection.requestID, retryable: rejection.retryable,
                                       countsAsAttempt: countsAsAttempt,
                                       reason: "\(worker) rejected: \(rejection.code) \(rejection.message)")
        await handle([outcome])
        await pump()
    }

    /// Requeues requests that ran past the request timeout.
    func expireOverdueRequests() async {
        guard !closing else { return }
        for (worker, request) in machine.hungWorkers(now: .now) {
            logger.error("worker hung; dropping it for this batch", metadata: ["worker": "\(worker)", "request": "\(request)"])
            handles.removeValue(forKey: worker)
            statistics.workerLost(worker)
        }
        let outcomes = machine.expireRequests(now: .now)
        if !outcomes.isEmpty {
            logger.warning("requests timed out", metadata: ["count": "\(outcomes.count)"])
            statistics.timeouts += outcomes.count
        }
        await handle(outcomes)
        await pump()
    }

    // MARK: Internals

    func pump() async {
        // Re-checked each round: a write suspends, and the run may have stopped meanwhile.
        while dispatching, let assignment = machine.nextAssignment(now: .now) {
            guard let handle = handles[assignment.worker], let input = inputs[assignment.player] else {
                machine.sendFailed(assignment)
                return
            }
            let request = WirePredictRequest(input, requestID: assignment.requestID, attempt: UInt32(assignment.attempt))
            sentAt[assignment.requestID] = .now
            if assignment.attempt > 1 { statistics.retries += 1 }
            do {
                try await handle.outbound.write(Envelope(.predictRequest(request)))
            } catch {
                sentAt.removeValue(forKey: assignment.requestID)
                machine.sendFailed(assignment)
                return
            }
        }
    }

    func handle(_ outcomes: [BatchStateMachine.RetryOutcome]) async {
        for outcome in outcomes {
            guard case .failed(let player, let attempts, let reason) = outcome else { continue }
            statistics.playersFailed += 1
            let failed = JournalEntry.PlayerFailed(player: player, gameID: inputs[player]?.gameID, attempts: attempts,
                                                   lastReason: reason)
            do {
                _ = try await journal.append(.playerFailed(failed))
            } catch {
                logger.error("cannot journal failure", metadata: ["player": "\(player)", "error": "\(error)"])
            }
            logger.warning("player failed", metadata: ["player": "\(player)", "attempts": "\(attempts)", "reason": "\(reason)"])
        }
        await checkFinished()
    }

    /// One received answer is journaled or refused.
    func answerSettled() {
        answersBeingJournaled -= 1
        guard answersBeingJournaled == 0 else { return }
        let waiters = journalingWaiters
        journalingWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func recordLatency(_ requestID: UInt64) {
        if let start = sentAt.removeValue(forKey: requestID) {
            statistics.recordLatency(ContinuousClock.now - start)
        }
    }

    func checkFinished() async {
        guard machine.isFinished else { return }
        let waiters = finishedWaiters
        finishedWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
