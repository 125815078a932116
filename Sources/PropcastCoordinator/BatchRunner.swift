import Foundation
import Logging
import NIOCore
import PropcastJournal
import PropcastModels
import PropcastStore
import PropcastTLS
import PropcastWire

/// A moment in a running batch, for progress displays.
public struct BatchProgress: Sendable {
    /// Players answered so far (predicted, skipped or failed).
    public var finished: Int
    /// Players this run sends to workers.
    public var total: Int
    /// Workers currently taking work.
    public var workersUp: Int
    /// Time since the run started.
    public var elapsed: Duration
}

/// Runs one game date end to end (DESIGN.md §6): check the date has games → lock and open
/// the date's journal → wait for the feature store to be ready → quality gate → connect to
/// the workers while the inputs are read in one pass, a chunk at a time as the workers take
/// them (unreadable rows skip their player) → per chunk, skip what the journal already holds,
/// supersede what is no longer expected, dispatch within credits, check answers, retry,
/// journal → `batch_finished` → report. A triggered
/// ``BatchStopSignal`` ends it early with what has arrived journaled.
public struct BatchRunner: Sendable {
    /// Players read from the store at a time.
    static let chunkSize = 128
    /// Players read ahead beyond what the workers can hold: enough that the workers never
    /// wait for the store, and a bound on the inputs held at once (about 5 KB each).
    static let readAhead = 512

    let configuration: BatchConfiguration
    let tls: TLSContext
    let group: any EventLoopGroup
    let logger: Logger
    let stop: BatchStopSignal
    let pool: WorkerPool?

    /// A runner; triggering `stop` ends the run early (the report says `interrupted`). With a
    /// `pool`, the batch uses the pool's connections (started by its owner) instead of its own.
    public init(configuration: BatchConfiguration, tls: TLSContext, group: any EventLoopGroup, logger: Logger,
                stop: BatchStopSignal = BatchStopSignal(), pool: WorkerPool? = nil) {
        self.configuration = configuration
        self.tls = tls
        self.group = group
        self.logger = logger
        self.stop = stop
        self.pool = pool
    }

    /// Runs the batch. `progress` is called about once a second while answers arrive, and once when it ends.
    /// - Throws: ``BatchError`` for the conditions that have their own exit code.
    public func run(progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) async throws -> BatchReport {
        let start = ContinuousClock.now
        let store: FeatureStore
        let first: Readiness
        do {
            store = try FeatureStore(path: configuration.storePath)
            first = try store.readiness(on: configuration.date)
        } catch {
            throw BatchError(.configuration, "\(error)")
        }
        if first.hasNoGames {
            return BatchReport(noGamesOn: configuration.date, journalPath: JournalDirectory(configuration.journalDirectory)
                .journalPath(for: configuration.date))
        }
        logger.debug("store checked", metadata: ["elapsed": "\(ContinuousClock.now - start)"])
        let journal = try await openJournal()
        logger.debug("journal opened", metadata: ["elapsed": "\(ContinuousClock.now - start)"])
        do {
            let report = try await run(store: store, journal: journal, start: start, progress: progress)
            await journal.close()
            return report
        } catch {
            await journal.close()
            throw error
        }
    }

    /// Runs the batch and returns its report or its ``BatchError`` (any other error as
    /// `.configuration`): for callers that run many dates and keep going.
    public func result(progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) async -> Result<BatchReport, BatchError> {
        do {
            return .success(try await run(progress: progress))
        } catch let error as BatchError {
            return .failure(error)
        } catch {
            return .failure(BatchError(.configuration, "\(error)"))
        }
    }

    private func run(store: FeatureStore, journal: JournalWriter, start: ContinuousClock.Instant,
                     progress: @escaping @Sendable (BatchProgress) -> Void) async throws -> BatchReport {
        guard let readiness = try await awaitReadiness(store) else {
            let signal = await stop.stopReason ?? "stop"
            throw BatchError(.interrupted(signal), "stopped by \(signal) while waiting for the feature store for "
                             + "\(configuration.date); nothing was sent or written")
        }
        try checkQuality(readiness)
        // The workers are connected (TLS, Hello) while the store loads: by links of the
        // batch's own, or through the pool's connections.
        let number = await pool?.reserveBatchNumber()
        var machine = configuration.machine
        if let number { machine.firstRequestID = WorkerPool.firstRequestID(ofBatch: number) }
        let batch = BatchActor(workers: configuration.workers.map(WorkerID.init), journal: journal,
                               configuration: machine, logger: logger, progress: progress)
        // The stop signal is an event for the batch, in every phase from here on.
        let stop = self.stop
        let stopper = Task { if await stop.wait() != nil { await batch.interrupt() } }
        defer { stopper.cancel() }
        let linkTasks = await connect(batch, number: number)
        defer {
            linkTasks.forEach { $0.cancel() }
            if let pool, let number { Task { await pool.detach(number) } }
        }

        // The store is read as the batch goes, a chunk ahead of the workers (InputFeed).
        let feed = InputFeed(store: store, date: configuration.date, chunkSize: Self.chunkSize)
        defer { feed.cancel() }
        let versions = try await awaitFirstWorker(batch)
        logger.debug("first worker accepted", metadata: ["elapsed": "\(ContinuousClock.now - start)"])
        // What the journal held at open is all the plan needs of its rows; from here on the
        // writer keeps ids and counts only.
        let opened = await journal.index
        await journal.dropCurrentRows()
        var loading = LoadingTotals()
        await batch.beginLoading(expecting: readiness.playersWithFeatures)
        do {
            for try await chunk in feed.chunks {
                feed.taken()
                logger.debug("inputs read", metadata: ["players": "\(chunk.inputs.count)",
                                                       "elapsed": "\(ContinuousClock.now - start)"])
                try await add(chunk, to: batch, journal: journal, opened: opened, versions: versions,
                              readiness: readiness, totals: &loading)
                await batch.waitForRoom(reserve: Self.readAhead)
            }
            // A cancelled task ends the stream early: that is a stop, not the end of the date.
            try Task.checkCancellation()
        } catch {
            // Players of earlier chunks may be out with the workers: settle what arrives first.
            await batch.interrupt()
            await batch.waitForJournaling()
            if error is BatchError || error is CancellationError { throw error }
            throw BatchError(.configuration, "cannot load inputs for \(configuration.date): \(error)"
                             + (loading.started ? "; what was answered is journaled, `batch retry` does the rest" : ""))
        }
        if !loading.started {
            try await journalStart(journal, superseded: [], unreadable: [:], opened: opened, versions: versions,
                                   readiness: readiness)
        }
        logger.info("loaded inputs", metadata: ["players": "\(loading.players)", "unreadable": "\(loading.unreadable.count)",
                                                "expected": "\(readiness.expectedPlayers)",
                                                "elapsed": "\(ContinuousClock.now - start)"])
        await batch.loadingFinished()
        let over = await batch.waitUntilOver()
        await batch.waitForJournaling()
        // A batch whose last answers were journaled while the stop arrived still finished.
        let outcome = await batch.isFinished ? BatchActor.Outcome.finished : over
        logger.info("batch over", metadata: ["outcome": "\(outcome.rawValue)", "elapsed": "\(ContinuousClock.now - start)"])
        linkTasks.forEach { $0.cancel() }
        return try await finish(journal: journal, batch: batch, totals: loading, readiness: readiness,
                                outcome: outcome.rawValue, elapsed: ContinuousClock.now - start)
    }

    /// Connects `batch` to its workers: the pool's (attached as `number`; the caller detaches
    /// it), or links of its own, run as tasks that are cancelled, not awaited, at the end (a
    /// connect attempt to an unreachable host must not hold the finished batch for its timeout).
    private func connect(_ batch: BatchActor, number: UInt32?) async -> [Task<Void, Never>] {
        if let pool, let number {
            await pool.attach(batch, number: number)
            return []
        }
        return configuration.workers.map { endpoint in
            let link = WorkerLink(endpoint: endpoint, tls: tls, configuration: configuration, group: group, batch: batch,
                                  logger: logger)
            return Task { await link.run() }
        }
    }

    private func openJournal() async throws -> JournalWriter {
        do {
            return try await JournalWriter.open(directory: configuration.journalDirectory, date: configuration.date)
        } catch let error as JournalError {
            if case .locked = error { throw BatchError(.alreadyRunning, "\(error)") }
            throw BatchError(.journal, "\(error)")
        } catch {
            throw BatchError(.journal, "\(error)")
        }
    }
}
