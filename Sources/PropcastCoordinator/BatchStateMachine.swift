import PropcastModels

/// One batch as a value: its players (pending, in flight, being checked, done, skipped,
/// failed; attempts) *and* its workers (credits, requests in flight with their send times,
/// model versions, health, refusal). No I/O: ``BatchActor`` feeds it events (a worker
/// connected, was unreachable, drained, was lost; an answer arrived, was accepted or refused;
/// a rejection; a timer tick; stop) and performs the ``Action``s it returns.
///
/// Every event costs O(1) amortised: players wait in a FIFO queue, workers with free credit in
/// a round-robin ring, and requests in send order — which is deadline order, as every request
/// gets the same timeout — so a tick only looks at the requests that are due.
///
/// A player moves `pending → inFlight → checking → done | skipped`, or back to `pending` when
/// its worker is lost, rejects it (retryable), times out or answers with a failed system,
/// until `maxAttempts` is reached and it is `failed`. Requests travel in frames of up to the
/// worker's `playersPerFrame`, sized so that every connected slot gets several frames.
/// A worker never has more unanswered frames than its slots: a timed-out request keeps its
/// frame's credit until the worker answers, disconnects or is dropped as hung (no answer
/// within twice the timeout).
public struct BatchStateMachine: Sendable {
    /// A player's position in the batch (its index in the `players` given at creation).
    public typealias PlayerIndex = Int

    /// One request to send. Consecutive assignments with the same `frame` go to the worker
    /// in one frame (a PredictBatch), which takes one of its slots.
    public struct Assignment: Sendable, Equatable {
        /// Unique within the batch; echoed in the worker's answer.
        public let requestID: UInt64
        /// The frame this request travels in (unique within the batch).
        public let frame: UInt64
        /// Who to predict.
        public let player: PlayerIndex
        /// Which worker to send it to.
        public let worker: WorkerID
        /// 1 for the first try.
        public let attempt: Int
    }

    /// An answer to check and journal (off the actor); report back with ``answerAccepted(_:skipped:)``,
    /// ``answerIncomplete(_:reason:)``, ``answerRefused(_:from:reason:)`` or ``journalFailed(_:reason:)``.
    public struct Check: Sendable, Equatable {
        public let player: PlayerIndex
        public let attempt: Int
        public let worker: WorkerID
        /// When the request was sent (for the latency histogram).
        public let sentAt: ContinuousClock.Instant
    }

    /// What the shell must do.
    public enum Action: Sendable, Equatable {
        /// Send a PredictRequest.
        case send(Assignment)
        /// Check and journal a result.
        case check(Check)
        /// Journal `player_failed`.
        case journalFailure(player: PlayerIndex, attempts: Int, reason: String)
        /// Say Goodbye to the worker and drop its connection.
        case closeWorker(WorkerID, reason: String)
        /// The first worker was accepted: the batch's model versions.
        case workersAgreed([SystemID: String])
        /// No worker could be connected within the grace period (or every one failed).
        case noWorkerReachable
        /// Every player is done, skipped or failed, and no answer is being checked.
        case finished
        /// No worker has been up for the grace period; the rest is left for `batch retry`.
        case giveUp(reason: String)
    }

    /// Where a player is in the batch.
    public enum PlayerState: Sendable, Equatable {
        case pending
        case inFlight(requestID: UInt64)
        case checking
        case done
        case skipped
        case failed
    }

    /// What a worker's rejection means for its request.
    public enum Rejection: Sendable, Equatable {
        /// Its slots are taken: retry elsewhere at no cost and pause it briefly.
        case busy
        /// It is shutting down: retry elsewhere at no cost, send it nothing more.
        case draining
        /// Retry (an attempt is used).
        case retryable
        /// Do not retry: the player fails now.
        case permanent
    }

    /// Event counts for the summary.
    public struct Counters: Sendable, Equatable {
        public var retries = 0
        public var timeouts = 0
        public var staleAnswers = 0
        public var incompleteAnswers = 0
        public var workerDisconnects = 0
        public var framesSent = 0
        /// Requests a worker answered BUSY (all its slots taken; sent elsewhere at no cost).
        public var busyRejections = 0
    }

    struct Progress: Sendable {
        var state: PlayerState = .pending
        var attempts = 0
    }

    struct Request: Sendable {
        let player: PlayerIndex
        let worker: WorkerID
        let frame: UInt64
        let sentAt: ContinuousClock.Instant
    }

    enum Phase: Sendable { case connecting, dispatching, stopped }

    let configuration: Configuration
    private(set) var names: [PlayerLookup]
    private(set) var indexOf: [PlayerLookup: PlayerIndex]
    var progress: [Progress]
    var phase = Phase.connecting
    var queue = FIFO<PlayerIndex>()
    var requests: [UInt64: Request] = [:]
    /// Requests in send order (= deadline order) until their deadline passes.
    var timeline = FIFO<UInt64>()
    /// Requests past their deadline still holding credit, until twice the timeout.
    var overdue = FIFO<UInt64>()
    var nextRequestID: UInt64 = 1
    var nextFrameID: UInt64 = 1
    /// Slots of the connected workers, summed (frames are sized by it).
    var connectedSlots = 0
    /// Players the connected workers can hold at once (every slot a full frame).
    public internal(set) var sendCapacity = 0
    var workers: [WorkerID: ConnectedWorker] = [:]
    var health: [WorkerID: WorkerHealth]
    var ready = ReadyRing()
    var pauses = FIFO<(worker: WorkerID, until: ContinuousClock.Instant)>()
    /// The model versions of the first accepted worker (every later one must match).
    public internal(set) var modelVersions: [SystemID: String]?
    var noWorkerSince: ContinuousClock.Instant
    var terminal = 0
    var checking = 0
    /// True from ``beginLoading(expecting:)`` until ``loadingFinished(now:)``.
    var loading = false
    /// Players the batch expects in all (frames are sized by it while players still arrive).
    var plannedPlayers = 0
    var announcedFinish = false
    /// Event counts for the summary.
    public internal(set) var counters = Counters()

    /// A batch over `players` (in dispatch order) with the configured `workers`, created at `now`.
    public init(players: [PlayerLookup], workers: [WorkerID], configuration: Configuration,
                now: ContinuousClock.Instant = .now) {
        self.configuration = configuration
        self.names = players
        self.indexOf = Dictionary(players.enumerated().map { ($1, $0) }) { first, _ in first }
        self.progress = Array(repeating: Progress(), count: players.count)
        self.health = Dictionary(workers.map { ($0, WorkerHealth()) }) { first, _ in first }
        self.noWorkerSince = now
        self.nextRequestID = max(1, configuration.firstRequestID)
        for index in players.indices { queue.push(index) }
    }

    /// Players will arrive in chunks while the batch runs (the store is read as answers come
    /// in): the batch is not finished before ``loadingFinished(now:)``, and frames are sized for
    /// `total` players rather than those added so far. Call before ``start(alreadyComplete:now:)``.
    public mutating func beginLoading(expecting total: Int) {
        guard phase == .connecting else { return }
        loading = true
        plannedPlayers = max(0, total)
    }

    /// Adds players (after those already in the batch, in dispatch order); those in
    /// `alreadyComplete` are done at once. While dispatching, the new players go out within
    /// the workers' credits (once stopped, they are only recorded). Players already in the
    /// batch are ignored.
    public mutating func add(players: [PlayerLookup], alreadyComplete: Set<PlayerLookup> = [],
                             now: ContinuousClock.Instant) -> [Action] {
        for player in players where indexOf[player] == nil {
            let index = names.count
            names.append(player)
            indexOf[player] = index
            if alreadyComplete.contains(player) {
                progress.append(Progress(state: .done))
                terminal += 1
            } else {
                progress.append(Progress())
                queue.push(index)
            }
        }
        var actions: [Action] = []
        dispatch(now: now, into: &actions)
        return actions
    }

    /// Every player has been added: the batch finishes once they are all settled (at once
    /// when there were none).
    public mutating func loadingFinished(now: ContinuousClock.Instant) -> [Action] {
        loading = false
        var actions = start(alreadyComplete: [], now: now)
        finishEvent(into: &actions)
        return actions
    }

    // MARK: Queries

    /// The state of one player (nil if not part of the batch).
    public func state(of player: PlayerLookup) -> PlayerState? { indexOf[player].map { progress[$0].state } }

    /// Attempts made for a player so far.
    public func attempts(of player: PlayerLookup) -> Int { indexOf[player].map { progress[$0].attempts } ?? 0 }

    /// The player at `index`.
    public func player(_ index: PlayerIndex) -> PlayerLookup { names[index] }

    /// True when every player is loaded and done, skipped or failed, and no answer is being checked.
    public var isFinished: Bool { !loading && terminal == names.count && checking == 0 }

    /// Players added and not yet done, skipped or failed (pending, in flight or being checked).
    public var unsettledPlayers: Int { names.count - terminal }


    /// Players done, skipped or failed.
    public var playersFinished: Int { terminal }

    /// Players in the batch.
    public var playerCount: Int { names.count }

    /// Workers currently connected and accepted.
    public var workersUp: Int { workers.count }

    /// Requests sent and not yet answered (including timed-out ones still holding credit).
    public var outstandingRequests: Int { requests.count }

    /// Why `worker` is refused for the rest of the batch, if it is.
    public func refusal(of worker: WorkerID) -> String? { health[worker]?.refusal }

    /// Refused workers and why.
    public var refusedWorkers: [WorkerID: String] { health.compactMapValues(\.refusal) }

    /// The last problem of each worker that has one (unreachable, lost, hung, invalid answer).
    public var workerErrors: [WorkerID: String] { health.compactMapValues(\.lastError) }

    /// Whether the link to `worker` should (re)connect: the batch is not over and the worker not refused.
    public func shouldConnect(_ worker: WorkerID) -> Bool {
        phase != .stopped && !announcedFinish && health[worker]?.refusal == nil
    }

    /// When the next timer event is due (a request deadline, a hung-worker check, the end of
    /// a BUSY pause, the no-worker grace period), or nil when nothing is timed. Drops answered
    /// requests from the front of the deadline queues first (each once: O(1) amortised).
    public mutating func nextDeadline() -> ContinuousClock.Instant? {
        while let first = timeline.first, requests[first] == nil { _ = timeline.pop() }
        while let first = overdue.first, requests[first] == nil { _ = overdue.pop() }
        var due: ContinuousClock.Instant?
        func consider(_ instant: ContinuousClock.Instant) { due = min(due ?? instant, instant) }
        if let first = timeline.first, let request = requests[first] { consider(request.sentAt + configuration.requestTimeout) }
        if let first = overdue.first, let request = requests[first] { consider(request.sentAt + configuration.requestTimeout * 2) }
        if let pause = pauses.first { consider(pause.until) }
        if workers.isEmpty, phase != .stopped, !announcedFinish { consider(noWorkerSince + configuration.noWorkerGrace) }
        return due
    }
}

/// A worker accepted into the batch and connected. A credit is a slot: one frame of up to
/// `playersPerFrame` requests; it is free again once every request of the frame is answered.
struct ConnectedWorker: Sendable {
    var slots: Int
    var playersPerFrame = 1
    /// Unanswered requests.
    var inFlight: Set<UInt64> = []
    /// Unanswered requests per frame.
    var frames: [UInt64: Int] = [:]
    var draining = false
    var paused = false
    var freeCredits: Int { draining || paused ? 0 : max(0, slots - frames.count) }

    /// Marks one request answered (or not sent); true when that completed its frame (and
    /// freed its credit).
    mutating func settle(_ requestID: UInt64, frame: UInt64) -> Bool {
        guard inFlight.remove(requestID) != nil, let left = frames[frame] else { return false }
        frames[frame] = left > 1 ? left - 1 : nil
        return left == 1
    }
}

/// What the batch knows of a configured worker, connected or not.
struct WorkerHealth: Sendable {
    var everConnected = false
    var lastError: String?
    var refusal: String?
    var invalidAnswers = 0
}
