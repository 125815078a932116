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

/// Runs one game date end to end (DESIGN.md §6): lock and open the date's journal → wait
/// for the feature store to be ready → load all inputs in one pass → connect to the
/// workers → skip what the journal already holds, supersede withdrawn lines → dispatch
/// within credits, retry, journal → `batch_finished` → report.
public struct BatchRunner: Sendable {
    let configuration: BatchConfiguration
    let tls: TLSContext
    let group: any EventLoopGroup
    let logger: Logger

    public init(configuration: BatchConfiguration, tls: TLSContext, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.tls = tls
        self.group = group
        self.logger = logger
    }

    /// Runs the batch. `progress` is called about once a second.
    /// - Throws: ``BatchError`` for the conditions that have their own exit code.
    public func run(progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) async throws -> BatchReport {
        let clock = ContinuousClock()
        let start = clock.now
        let journal = try await openJournal()
        do {
            let report = try await run(journal: journal, start: start, progress: progress)
            await journal.close()
            return report
        } catch {
            await journal.close()
            throw error
        }
    }

    private func run(journal: JournalWriter, start: ContinuousClock.Instant,
                     progress: @escaping @Sendable (BatchProgress) -> Void) async throws -> BatchReport {
        let store: FeatureStore
        do { store = try FeatureStore(path: configuration.storePath) } catch {
            throw BatchError(.configuration, "\(error)")
        }
        let readiness = try await awaitReadiness(store)
        let inputs: [PlayerInput]
        do { inputs = try store.playerInputs(on: configuration.date) } catch {
            throw BatchError(.configuration, "cannot load inputs for \(configuration.date): \(error)")
        }
        guard !inputs.isEmpty || configuration.isRetry else {
            throw BatchError(.storeNotReady, "feature store \(configuration.storePath) has no features for \(configuration.date)")
        }
        logger.info("loaded inputs", metadata: ["players": "\(inputs.count)", "expected": "\(readiness.expectedPlayers)",
                                                "elapsed": "\(ContinuousClock.now - start)"])

        let batch = BatchActor(inputs: inputs, journal: journal, configuration: configuration, logger: logger)
        let health = WorkerHealthBoard()
        let links = configuration.workers.map {
            WorkerLink(endpoint: $0, tls: tls, configuration: configuration, group: group, batch: batch, health: health,
                       logger: logger)
        }
        // Links run as their own tasks and are cancelled, not awaited, at the end: a connect
        // attempt to an unreachable host must not hold the finished batch for its timeout.
        let linkTasks = links.map { link in Task { await link.run() } }
        defer { linkTasks.forEach { $0.cancel() } }
        let versions = try await awaitFirstWorker(batch, health: health)
        let plan = BatchPlan(inputs: inputs, index: await journal.index, modelVersions: versions)
        try await journalStart(journal, plan: plan, readiness: readiness)
        logger.info("dispatching", metadata: ["players": "\(plan.remaining.count)", "elapsed": "\(ContinuousClock.now - start)"])
        await batch.start(plan: plan)
        try await monitor(batch, health: health, start: start, progress: progress)
        logger.info("all players answered", metadata: ["elapsed": "\(ContinuousClock.now - start)"])
        await health.freeze()
        linkTasks.forEach { $0.cancel() }
        return try await finish(journal: journal, batch: batch, plan: plan, inputs: inputs, readiness: readiness,
                                health: health, elapsed: ContinuousClock.now - start)
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

    /// Polls readiness until the rule passes or the wait runs out; then goes on with what
    /// is ready (`batch retry` picks up the rest later).
    private func awaitReadiness(_ store: FeatureStore) async throws -> Readiness {
        let deadline = ContinuousClock.now + configuration.readinessWait
        while true {
            let readiness: Readiness
            do { readiness = try store.readiness(on: configuration.date) } catch {
                throw BatchError(.configuration, "\(error)")
            }
            let verdict = configuration.readinessRule.evaluate(readiness)
            if verdict.isReady || configuration.isRetry { return readiness }
            if ContinuousClock.now >= deadline {
                guard readiness.productionReadyPlayers > 0 else {
                    throw BatchError(.storeNotReady, "feature store not ready for \(configuration.date) after waiting "
                                     + "\(configuration.readinessWait): \(verdict.reasons.joined(separator: "; "))")
                }
                logger.warning("feature store still not ready; processing what is ready",
                               metadata: ["reasons": "\(verdict.reasons.joined(separator: "; "))"])
                return readiness
            }
            logger.info("waiting for feature store", metadata: ["reasons": "\(verdict.reasons.joined(separator: "; "))"])
            try await Task.sleep(for: min(configuration.readinessPollInterval, deadline - ContinuousClock.now))
        }
    }

    private func awaitFirstWorker(_ batch: BatchActor, health: WorkerHealthBoard) async throws -> [SystemID: String] {
        let grace = configuration.connectGracePeriod
        let timer = Task {
            let deadline = ContinuousClock.now + grace
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                // Every worker tried and none connected: no need to wait out the grace period.
                if await health.attempted.count == configuration.workers.count, await health.everConnected.isEmpty,
                   await health.lastError.count == configuration.workers.count { break }
            }
            await batch.stopWaitingForWorkers()
        }
        await batch.waitForFirstWorker()
        timer.cancel()
        guard let versions = await batch.agreedModelVersions else {
            let errors = await health.lastError
            let lines = configuration.workers.map { "  \($0): \(errors[$0.description] ?? "no answer within \(grace)")" }
            throw BatchError(.noWorker, "no worker reachable for \(configuration.date):\n" + lines.joined(separator: "\n"))
        }
        return versions
    }

    private func journalStart(_ journal: JournalWriter, plan: BatchPlan, readiness: Readiness) async throws {
        var entries: [JournalEntry] = plan.superseded.map { .superseded($0) }
        entries.append(.batchStarted(JournalEntry.BatchStarted(
            gameDate: configuration.date, coordinator: configuration.nodeID,
            workers: configuration.workers.map(\.description), expectedPlayers: readiness.expectedPlayers,
            config: ["mode": configuration.isRetry ? "retry" : "run", "max_attempts": "\(configuration.maxAttempts)",
                     "request_timeout": "\(configuration.requestTimeout)", "to_predict": "\(plan.remaining.count)",
                     "already_complete": "\(plan.alreadyComplete.count)"])))
        do { _ = try await journal.append(entries) } catch { throw BatchError(.journal, "\(error)") }
    }

    /// Waits for the batch to finish, expiring overdue requests and reporting progress;
    /// gives up (leaving the rest to `batch retry`) when no worker has been up for the
    /// connect grace period.
    private func monitor(_ batch: BatchActor, health: WorkerHealthBoard, start: ContinuousClock.Instant,
                         progress: @escaping @Sendable (BatchProgress) -> Void) async throws {
        let configuration = self.configuration
        let logger = self.logger
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            // Returns the moment the last player is journaled…
            tasks.addTask { await batch.waitUntilFinished() }
            // …while this one expires overdue requests, reports progress, and gives up when
            // no worker has been up for the grace period.
            tasks.addTask {
                var lastWorkerSeen = ContinuousClock.now
                while true {
                    try await Task.sleep(for: .milliseconds(250))
                    await batch.expireOverdueRequests()
                    let statistics = await batch.statistics
                    let workersUp = await batch.workersUp
                    progress(BatchProgress(finished: statistics.playersFinished, total: statistics.playersToPredict,
                                           workersUp: workersUp, elapsed: ContinuousClock.now - start))
                    if workersUp > 0 { lastWorkerSeen = .now }
                    if ContinuousClock.now - lastWorkerSeen > configuration.connectGracePeriod {
                        logger.error("no worker available; stopping and leaving the rest for `batch retry`")
                        await batch.abandon()
                        return
                    }
                }
            }
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    private func finish(journal: JournalWriter, batch: BatchActor, plan: BatchPlan, inputs: [PlayerInput], readiness: Readiness,
                        health: WorkerHealthBoard, elapsed: Duration) async throws -> BatchReport {
        let statistics = await batch.statistics
        let index = await journal.index
        let versions = await batch.agreedModelVersions ?? [:]
        let coverage = CoverageReport(index: index, expectedIDs: BatchPlan.expectedIDs(for: inputs, index: index, modelVersions: versions),
                                      expectedPlayers: max(readiness.expectedPlayers, inputs.count))
        let finished = JournalEntry.BatchFinished(
            expectedPlayers: coverage.expectedPlayers, playersComplete: coverage.completePlayers,
            playersSkipped: coverage.skippedPlayers, playersFailed: coverage.failedPlayers,
            predictions: coverage.predictions, coveragePercent: coverage.percent)
        do { _ = try await journal.append(.batchFinished(finished)) } catch { throw BatchError(.journal, "\(error)") }
        return BatchReport(date: configuration.date, journalPath: journal.path, statistics: statistics, coverage: coverage,
                           alreadyComplete: plan.alreadyComplete.count, superseded: plan.superseded.count,
                           refusedWorkers: await health.refusedWorkers, workerErrors: await health.lastError,
                           wallTime: elapsed)
    }
}
