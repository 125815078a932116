import PropcastModels

/// The bookkeeping of one batch as a value: which players are pending, in flight, being
/// journaled, done, skipped or failed; how many attempts each had; how many credits each
/// worker has left. No I/O — ``BatchActor`` feeds it events and performs what it returns.
///
/// A player moves `pending → inFlight → journaling → done | skipped`, or back to `pending`
/// when its worker is lost, rejects it (retryable) or times out, until `maxAttempts` is
/// reached and it is `failed`. A worker never has more unanswered requests than its slots:
/// a timed-out request keeps its credit until the worker answers or disconnects.
public struct BatchStateMachine: Sendable {
    /// A worker's identity within the batch (its `HOST:PORT`).
    public typealias WorkerID = String

    /// One request to send.
    public struct Assignment: Sendable, Equatable {
        /// Unique within the batch; echoed in the worker's answer.
        public let requestID: UInt64
        /// Who to predict.
        public let player: PlayerLookup
        /// Which worker to send it to.
        public let worker: WorkerID
        /// 1 for the first try.
        public let attempt: Int
    }

    /// Where a player is in the batch.
    public enum PlayerState: Sendable, Equatable {
        case pending
        case inFlight(requestID: UInt64)
        case journaling
        case done
        case skipped
        case failed
    }

    struct Progress: Sendable {
        var state: PlayerState = .pending
        var attempts = 0
        var lastReason = ""
    }

    struct Request: Sendable {
        let player: PlayerLookup
        let worker: WorkerID
        let deadline: ContinuousClock.Instant
    }

    struct Worker: Sendable {
        var slots: Int
        var outstanding: Set<UInt64> = []
        var acceptsWork = true
        /// Set by a BUSY rejection (the worker's slots are taken by other work); cleared by
        /// its next answer or the next timer tick, so the two sides do not trade
        /// request/reject as fast as the network allows.
        var pausedAfterBusy = false
        var freeCredits: Int { acceptsWork && !pausedAfterBusy ? max(0, slots - outstanding.count) : 0 }
    }

    /// What became of a player whose attempt ended without a result.
    public enum RetryOutcome: Sendable, Equatable {
        /// Back in the queue for another worker.
        case requeued(PlayerLookup)
        /// Attempts exhausted or not retryable: journal it as failed.
        case failed(PlayerLookup, attempts: Int, reason: String)
        /// The request was already superseded (the player moved on); nothing to do.
        case stale
    }

    private(set) var players: [PlayerLookup: Progress]
    private var queue: [PlayerLookup]
    private var queueHead = 0
    private var requests: [UInt64: Request] = [:]
    private var workers: [WorkerID: Worker] = [:]
    private var nextRequestID: UInt64 = 1
    /// Attempts per player before it is journaled as failed.
    public let maxAttempts: Int
    /// How long a worker has to answer one request.
    public let requestTimeout: Duration

    /// A batch over `players` (in dispatch order).
    public init(players: [PlayerLookup], maxAttempts: Int, requestTimeout: Duration) {
        self.players = Dictionary(uniqueKeysWithValues: players.map { ($0, Progress()) })
        self.queue = players
        self.maxAttempts = max(1, maxAttempts)
        self.requestTimeout = requestTimeout
    }

    // MARK: Queries

    /// The state of one player (nil if not part of the batch).
    public func state(of player: PlayerLookup) -> PlayerState? { players[player]?.state }

    /// Attempts made for a player so far.
    public func attempts(of player: PlayerLookup) -> Int { players[player]?.attempts ?? 0 }

    /// True when every player is done, skipped or failed.
    public var isFinished: Bool { count(where: { [.done, .skipped, .failed].contains($0) }) == players.count }

    /// Players per terminal or transient state.
    public func count(where predicate: (PlayerState) -> Bool) -> Int {
        players.values.reduce(0) { predicate($1.state) ? $0 + 1 : $0 }
    }

    /// Workers currently able to take work.
    public var workersUp: Int { workers.values.filter(\.acceptsWork).count }

    /// Requests sent and not yet answered (including timed-out ones still holding credit).
    public var outstandingRequests: Int { requests.count }

    /// Marks players the journal already holds as done, so they are never sent.
    public mutating func markAlreadyComplete(_ completed: Set<PlayerLookup>) {
        for player in completed where players[player]?.state == .pending {
            players[player]?.state = .done
        }
    }

    // MARK: Workers

    /// A worker connected and announced `slots`.
    public mutating func workerUp(_ worker: WorkerID, slots: Int) {
        workers[worker] = Worker(slots: max(0, slots))
    }

    /// A worker asked for no more work (Drain); its in-flight requests may still finish.
    public mutating func workerDraining(_ worker: WorkerID) {
        workers[worker]?.acceptsWork = false
    }

    /// A worker disconnected or stopped answering: everything it held goes back to the
    /// queue (or fails when out of attempts).
    /// `countsAsAttempt` false when the coordinator dropped the worker for misbehaving: its
    /// players lose no attempt for the worker's fault.
    public mutating func workerDown(_ worker: WorkerID, reason: String, countsAsAttempt: Bool = true) -> [RetryOutcome] {
        guard let lost = workers.removeValue(forKey: worker) else { return [] }
        return lost.outstanding.sorted().map { retry(requestID: $0, reason: reason, countsAsAttempt: countsAsAttempt) }
    }

    // MARK: Dispatch

    /// The next request to send, to the worker with the most free credits, or nil when no
    /// player is pending or no worker has a free slot.
    public mutating func nextAssignment(now: ContinuousClock.Instant) -> Assignment? {
        guard let (workerID, _) = workers.filter({ $0.value.freeCredits > 0 })
            .max(by: { ($0.value.freeCredits, $1.key) < ($1.value.freeCredits, $0.key) })
        else { return nil }
        while queueHead < queue.count {
            let player = queue[queueHead]
            queueHead += 1
            guard players[player]?.state == .pending else { continue }
            let requestID = nextRequestID
            nextRequestID += 1
            players[player]?.attempts += 1
            players[player]?.state = .inFlight(requestID: requestID)
            requests[requestID] = Request(player: player, worker: workerID, deadline: now + requestTimeout)
            workers[workerID]?.outstanding.insert(requestID)
            compactQueueIfNeeded()
            return Assignment(requestID: requestID, player: player, worker: workerID,
                              attempt: players[player]?.attempts ?? 1)
        }
        return nil
    }

    /// Sending failed before the worker saw the request: put the player back untouched.
    public mutating func sendFailed(_ assignment: Assignment) {
        guard let request = requests.removeValue(forKey: assignment.requestID) else { return }
        workers[request.worker]?.outstanding.remove(assignment.requestID)
        if players[request.player]?.state == .inFlight(requestID: assignment.requestID) {
            players[request.player]?.attempts -= 1
            players[request.player]?.state = .pending
            queue.append(request.player)
        }
    }

    // MARK: Answers

    /// A result arrived. Returns the player to journal, or nil when the result is stale
    /// (the player was already answered by another worker).
    public mutating func resultArrived(requestID: UInt64) -> PlayerLookup? {
        guard let request = requests.removeValue(forKey: requestID) else { return nil }
        workers[request.worker]?.outstanding.remove(requestID)
        workers[request.worker]?.pausedAfterBusy = false
        switch players[request.player]?.state {
        case .inFlight, .pending:
            // A late answer from a timed-out worker still counts if nobody answered yet.
            players[request.player]?.state = .journaling
            return request.player
        default:
            return nil
        }
    }

    /// The worker's answer for a player was refused (undecodable or invalid: then
    /// `countsAsAttempt` is false, the worker is at fault) or incomplete (a system failed on
    /// the worker: the attempt counts). The player is requeued, or failed when out of attempts.
    public mutating func answerNotAccepted(_ player: PlayerLookup, reason: String, countsAsAttempt: Bool) -> RetryOutcome {
        guard players[player]?.state == .journaling else { return .stale }
        return requeueOrFail(player, reason: reason, countsAsAttempt: countsAsAttempt)
    }

    /// The player's result could not be journaled: it is failed (the journal is broken).
    public mutating func journalingFailed(_ player: PlayerLookup, reason: String) {
        players[player]?.state = .failed
        players[player]?.lastReason = reason
    }

    /// The player's result is durable in the journal.
    public mutating func journaled(_ player: PlayerLookup, skipped: Bool) {
        players[player]?.state = skipped ? .skipped : .done
    }

    /// The worker rejected a request. Busy/draining rejections do not use up an attempt.
    public mutating func rejected(requestID: UInt64, retryable: Bool, countsAsAttempt: Bool,
                                  reason: String) -> RetryOutcome {
        guard let request = requests[requestID] else { return .stale }
        workers[request.worker]?.pausedAfterBusy = !countsAsAttempt
        guard retryable else {
            requests.removeValue(forKey: requestID)
            workers[request.worker]?.outstanding.remove(requestID)
            guard players[request.player]?.state == .inFlight(requestID: requestID) else { return .stale }
            players[request.player]?.state = .failed
            players[request.player]?.lastReason = reason
            return .failed(request.player, attempts: players[request.player]?.attempts ?? 0, reason: reason)
        }
        return retry(requestID: requestID, reason: reason, countsAsAttempt: countsAsAttempt)
    }

    /// Requests past their deadline: their players are requeued; the worker keeps the
    /// credit until it answers or disconnects. A worker still sitting on a request twice
    /// past its deadline is treated as hung and dropped (its credits would otherwise be
    /// lost for the rest of the batch). Also lifts BUSY pauses (called on every timer tick).
    public mutating func expireRequests(now: ContinuousClock.Instant) -> [RetryOutcome] {
        for worker in workers.keys { workers[worker]?.pausedAfterBusy = false }
        var outcomes: [RetryOutcome] = []
        for (worker, _) in hungWorkers(now: now) {
            outcomes += workerDown(worker, reason: "worker \(worker) hung: no answer within \(requestTimeout * 2)")
        }
        return outcomes + expireOverdue(now: now)
    }

    /// Workers holding a request more than twice the request timeout past its send.
    public func hungWorkers(now: ContinuousClock.Instant) -> [(WorkerID, UInt64)] {
        requests.filter { $0.value.deadline + requestTimeout <= now }
            .map { ($0.value.worker, $0.key) }
            .reduce(into: [WorkerID: UInt64]()) { $0[$1.0] = $0[$1.0] ?? $1.1 }
            .sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }

    private mutating func expireOverdue(now: ContinuousClock.Instant) -> [RetryOutcome] {
        let expired = requests.filter { $0.value.deadline <= now && players[$0.value.player]?.state == .inFlight(requestID: $0.key) }
        return expired.keys.sorted().map { id in
            let player = requests[id]!.player
            return requeueOrFail(player, reason: "no answer within \(requestTimeout) from \(requests[id]!.worker)",
                                 countsAsAttempt: true)
        }
    }

    private mutating func retry(requestID: UInt64, reason: String, countsAsAttempt: Bool) -> RetryOutcome {
        guard let request = requests.removeValue(forKey: requestID) else { return .stale }
        workers[request.worker]?.outstanding.remove(requestID)
        guard players[request.player]?.state == .inFlight(requestID: requestID) else { return .stale }
        return requeueOrFail(request.player, reason: reason, countsAsAttempt: countsAsAttempt)
    }

    private mutating func requeueOrFail(_ player: PlayerLookup, reason: String, countsAsAttempt: Bool) -> RetryOutcome {
        if !countsAsAttempt { players[player]?.attempts -= 1 }
        players[player]?.lastReason = reason
        let attempts = players[player]?.attempts ?? 0
        if attempts >= maxAttempts {
            players[player]?.state = .failed
            return .failed(player, attempts: attempts, reason: reason)
        }
        players[player]?.state = .pending
        queue.append(player)
        return .requeued(player)
    }

    private mutating func compactQueueIfNeeded() {
        if queueHead > 1024, queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
    }
}
