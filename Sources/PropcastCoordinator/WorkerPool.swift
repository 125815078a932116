import Logging
import NIOCore
import PropcastTLS
import PropcastWire

/// One set of worker connections for many batches (the dates of a backfill). Each worker is
/// connected once, with mutual TLS, pinged every heartbeat and reconnected with backoff while
/// the pool runs (``PooledWorkerLink``). A batch attaches and sees each worker as if it had a
/// link of its own: connected (with the worker's Hello), unreachable, draining, lost.
///
/// Answers find their batch by request id: a batch numbered `n` by ``reserveBatchNumber()``
/// numbers its requests from `n · 2³²` (``BatchStateMachine/Configuration/firstRequestID``).
/// A worker's slots are worker-wide, and every batch is given all of them: the pool sends at
/// most that many frames at once on a connection and holds the rest in order, so batches side
/// by side never meet BUSY. A worker one batch refuses (other models, invalid answers) is
/// closed and not reconnected: the pool's workers are the same for every date. One a batch
/// finds hung is closed and connected again, as a batch's own link would. A frame a worker
/// never answers holds one of its slots in the pool until the connection ends.
public actor WorkerPool {
    /// One live connection.
    struct Connection {
        let info: WorkerInfo
        let writer: NIOAsyncChannelOutboundWriter<Envelope>
        /// Tells it from a later connection to the same worker.
        let generation: Int
        /// Batches that accepted the worker on this connection.
        var attached: Set<UInt32> = []
        /// Frames sent and not answered yet (at most the worker's slots), and those waiting.
        var framesOut = 0
        var waiting: [Envelope] = []

        /// Frames the worker takes at once: its worker-wide slots.
        var window: Int { max(1, Int(info.slots)) }
    }

    let configuration: BatchConfiguration
    let tls: TLSContext
    let group: any EventLoopGroup
    let logger: Logger
    private var batches: [UInt32: BatchActor] = [:]
    private var nextBatchNumber: UInt32 = 1
    private var connections: [WorkerID: Connection] = [:]
    private var lastErrors: [WorkerID: String] = [:]
    /// Workers refused for the rest of the pool's life, and why.
    public private(set) var refused: [WorkerID: String] = [:]
    private var generations = 0
    private var linkTasks: [Task<Void, Never>] = []
    private var running = true
    /// Sessions established over the pool's life, by worker (one each unless a connection was lost).
    public private(set) var sessionsEstablished: [String: Int] = [:]

    /// A pool for `configuration`'s workers (its TLS identity, wire settings and backoff).
    public init(configuration: BatchConfiguration, tls: TLSContext, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.tls = tls
        self.group = group
        self.logger = logger
    }

    /// Connects to every worker (in the background; batches attach meanwhile). Once started,
    /// later calls do nothing until ``shutdown()``.
    public func start() {
        guard linkTasks.isEmpty else { return }
        running = true
        linkTasks = configuration.workers.map { endpoint in
            let link = PooledWorkerLink(endpoint: endpoint, pool: self)
            return Task { await link.run() }
        }
    }

    /// Says Goodbye to every worker and ends the links.
    public func shutdown() {
        running = false
        for worker in connections.keys { close(worker, reason: "backfill over", goodbye: .goodbye(.normal, "backfill over")) }
        linkTasks.forEach { $0.cancel() }
        linkTasks = []
    }

    /// The number of the next batch to attach: its requests start at `number · 2³²`.
    public func reserveBatchNumber() -> UInt32 {
        defer { nextBatchNumber += 1 }
        return nextBatchNumber
    }

    /// The first request id of batch `number`.
    public static func firstRequestID(ofBatch number: UInt32) -> UInt64 {
        UInt64(number) << 32 | 1
    }

    /// The number of the batch that sent request `id`.
    static func batchNumber(ofRequest id: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: id >> 32)
    }

    /// Attaches `batch` (numbered by ``reserveBatchNumber()``): the workers already connected
    /// are offered to it, those failing so far are reported unreachable.
    public func attach(_ batch: BatchActor, number: UInt32) async {
        batches[number] = batch
        for (worker, reason) in lastErrors where connections[worker] == nil {
            await batch.workerUnreachable(worker, reason: reason)
        }
        for worker in connections.keys.sorted(by: { $0.address < $1.address }) {
            await offer(worker, to: number)
        }
    }

    /// The batch is over: nothing more is routed to it, and its frames still waiting for a
    /// slot are not sent.
    public func detach(_ number: UInt32) {
        batches.removeValue(forKey: number)
        for worker in connections.keys {
            connections[worker]?.attached.remove(number)
            connections[worker]?.waiting.removeAll { Self.batchNumber(of: $0) == number }
        }
    }

    /// The number of the batch that sent a request frame.
    static func batchNumber(of frame: Envelope) -> UInt32? {
        guard case .predictBatch(let batch)? = frame.body, let first = batch.requests.first else { return nil }
        return batchNumber(ofRequest: first.requestID)
    }

    // MARK: Link events

    /// Whether the link to `worker` should (re)connect.
    func shouldConnect(_ worker: WorkerID) -> Bool { running && refused[worker] == nil }

    /// A session is established: every attached batch is offered the worker.
    func connected(_ worker: WorkerID, info: WorkerInfo, writer: NIOAsyncChannelOutboundWriter<Envelope>) async -> Int? {
        guard running, refused[worker] == nil else { return nil }
        generations += 1
        connections[worker] = Connection(info: info, writer: writer, generation: generations)
        lastErrors[worker] = nil
        sessionsEstablished[worker.address, default: 0] += 1
        let generation = generations
        for number in batches.keys.sorted() { await offer(worker, to: number) }
        return generation
    }

    /// A connection attempt failed.
    func unreachable(_ worker: WorkerID, reason: String) async {
        lastErrors[worker] = reason
        for batch in batches.values { await batch.workerUnreachable(worker, reason: reason) }
    }

    /// The connection `generation` of `worker` ended: its batches lose the worker.
    func lost(_ worker: WorkerID, generation: Int, reason: String) async {
        guard let connection = connections[worker], connection.generation == generation else { return }
        connections[worker] = nil
        lastErrors[worker] = reason
        for number in connection.attached { await batches[number]?.workerLost(worker, reason: reason) }
    }

    /// The worker sent Drain.
    func draining(_ worker: WorkerID) async {
        for number in connections[worker]?.attached ?? [] { await batches[number]?.workerDraining(worker) }
    }

    /// An answer frame arrived: the worker has a slot again (a waiting frame goes out); the
    /// batch that asked for `requestID`, if it is still attached.
    func answered(_ worker: WorkerID, requestID: UInt64?) -> BatchActor? {
        if var connection = connections[worker] {
            connection.framesOut = max(0, connection.framesOut - 1)
            if !connection.waiting.isEmpty, connection.framesOut < connection.window {
                connection.framesOut += 1
                let next = connection.waiting.removeFirst()
                let writer = connection.writer
                Task { try? await writer.write(next) }
            }
            connections[worker] = connection
        }
        guard let requestID else { return nil }
        return batches[Self.batchNumber(ofRequest: requestID)]
    }

    // MARK: What a batch's outbound does

    /// Sends a batch's frame on connection `generation`, or holds it until a slot is free.
    /// - Throws: ``WireError`` when that connection is gone.
    func send(_ envelope: Envelope, to worker: WorkerID, generation: Int) async throws {
        guard var connection = connections[worker], connection.generation == generation else {
            throw WireError(.closedByPeer, "worker \(worker) is no longer connected")
        }
        guard connection.framesOut < connection.window else {
            connection.waiting.append(envelope)
            connections[worker] = connection
            return
        }
        connection.framesOut += 1
        connections[worker] = connection
        try await connection.writer.write(envelope)
    }

    /// A batch closed the worker: batch over (it is detached from the worker), refused (the
    /// worker is closed for every batch and not connected again), or hung (the connection is
    /// closed and made again; every batch requeues what it had there).
    func closed(_ worker: WorkerID, by number: UInt32, generation: Int, goodbye: Envelope) async {
        guard var connection = connections[worker], connection.generation == generation else { return }
        guard case .goodbye(let farewell)? = goodbye.body, farewell.reason != .normal else {
            connection.attached.remove(number)
            connections[worker] = connection
            return
        }
        if let refusal = await batches[number]?.refusedWorkers[worker.address] {
            refuse(worker, reason: refusal, goodbye: goodbye)
        } else {
            close(worker, reason: farewell.message, goodbye: goodbye)
        }
    }

    // MARK: Private

    private func offer(_ worker: WorkerID, to number: UInt32) async {
        guard let batch = batches[number], let connection = connections[worker] else { return }
        connections[worker]?.attached.insert(number)
        let outbound = PooledOutbound(pool: self, worker: worker, batch: number, generation: connection.generation)
        guard await batch.workerConnected(worker, info: connection.info, outbound: outbound) != nil else { return }
        connections[worker]?.attached.remove(number)
        // Not taken: refused by the batch (for every batch, then), or the batch is over.
        if let refusal = await batch.refusedWorkers[worker.address] {
            refuse(worker, reason: refusal, goodbye: .goodbye(.protocolError, refusal))
        }
    }

    private func refuse(_ worker: WorkerID, reason: String, goodbye: Envelope) {
        refused[worker] = reason
        logger.error("worker refused for the rest of the pool's batches", metadata: ["worker": "\(worker)", "reason": "\(reason)"])
        close(worker, reason: reason, goodbye: goodbye)
    }

    /// Says `goodbye` and closes the connection; its batches lose the worker now.
    private func close(_ worker: WorkerID, reason: String, goodbye: Envelope) {
        guard let connection = connections.removeValue(forKey: worker) else { return }
        lastErrors[worker] = reason
        let writer = connection.writer
        Task {
            try? await writer.write(goodbye)
            writer.finish()
        }
        let attached = connection.attached.compactMap { batches[$0] }
        Task { for batch in attached { await batch.workerLost(worker, reason: reason) } }
    }
}

/// A batch's view of one pooled connection.
struct PooledOutbound: WorkerOutbound {
    let pool: WorkerPool
    let worker: WorkerID
    let batch: UInt32
    let generation: Int

    func send(_ envelope: Envelope) async throws {
        try await pool.send(envelope, to: worker, generation: generation)
    }

    func close(with goodbye: Envelope) {
        let pool = self.pool
        let (worker, batch, generation) = (self.worker, self.batch, self.generation)
        Task { await pool.closed(worker, by: batch, generation: generation, goodbye: goodbye) }
    }
}
