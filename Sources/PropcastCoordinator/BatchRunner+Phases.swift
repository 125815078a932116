import Foundation
import PropcastJournal
import PropcastModels
import PropcastStore

extension BatchRunner {
    /// Polls readiness until the rule passes or the wait runs out; then goes on with what
    /// is ready (`batch retry` picks up the rest later). Nil when stopped while waiting.
    func awaitReadiness(_ store: FeatureStore) async throws -> Readiness? {
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
            let pause = min(configuration.readinessPollInterval, deadline - ContinuousClock.now)
            if await sleepUnlessStopped(pause) { return nil }
        }
    }

    /// Sleeps `duration`; true (at once) when the stop signal fires first.
    private func sleepUnlessStopped(_ duration: Duration) async -> Bool {
        let stop = self.stop
        return await withTaskGroup(of: Bool.self) { tasks in
            tasks.addTask { (try? await Task.sleep(for: duration)) == nil }
            tasks.addTask { await stop.wait() != nil }
            let stopped = await tasks.next() ?? false
            tasks.cancelAll()
            return stopped
        }
    }

    /// The quality gate: below the rule's average quality nothing is predicted (exit 4)
    /// unless low quality is allowed.
    func checkQuality(_ readiness: Readiness) throws {
        let minimum = configuration.readinessRule.minAverageQuality
        guard let quality = readiness.averageQuality, quality < minimum else { return }
        if configuration.allowLowQuality {
            logger.warning("average feature quality below the minimum; predicting anyway (--allow-low-quality)",
                           metadata: ["quality": "\(quality)", "minimum": "\(minimum)"])
            return
        }
        throw BatchError(.lowQuality, String(format: "average feature quality on %@ is %.1f, below --min-quality %g "
            + "(%d players with features); nothing was predicted. Wait for Phase 4 to improve the features, "
            + "or pass --allow-low-quality to predict anyway", configuration.date.description, quality, minimum,
            readiness.playersWithFeatures))
    }

    /// The first worker's model versions; throws when stopped meanwhile or when no worker is
    /// reachable within the connect grace period (naming each worker's last error).
    func awaitFirstWorker(_ batch: BatchActor) async throws -> [SystemID: String] {
        let versions = await batch.waitForFirstWorker()
        if let signal = await stop.stopReason {
            throw BatchError(.interrupted(signal), "stopped by \(signal) while connecting to workers for "
                             + "\(configuration.date); nothing was sent or written")
        }
        guard let versions else {
            let errors = await batch.workerErrors
            let lines = configuration.workers.map {
                "  \($0): \(errors[$0.description] ?? "no answer within \(configuration.connectGracePeriod)")"
            }
            throw BatchError(.noWorker, "no worker reachable for \(configuration.date):\n" + lines.joined(separator: "\n"))
        }
        return versions
    }

    /// What the chunks added up to.
    struct LoadingTotals {
        var started = false
        var players = 0
        var alreadyComplete = 0
        var superseded = 0
        var unreadable: [PlayerLookup: String] = [:]
    }

    /// Plans one chunk against the journal as opened, journals its superseded records and
    /// unreadable-row skips (with `batch_started` before the first chunk's), and hands it to
    /// the batch. Once the batch is over (stopped), later chunks are only judged for coverage.
    func add(_ chunk: FeatureStore.LoadedInputs, to batch: BatchActor, journal: JournalWriter, opened: JournalIndex,
             versions: [SystemID: String], readiness: Readiness, totals: inout LoadingTotals) async throws {
        for (player, reason) in chunk.unreadable.sorted(by: { $0.key < $1.key }) {
            logger.error("unreadable store row; skipping the player", metadata: ["player": "\(player)", "reason": "\(reason)"])
        }
        let plan = BatchPlan(inputs: chunk.inputs, index: opened, modelVersions: versions)
        totals.unreadable.merge(chunk.unreadable) { first, _ in first }
        guard await batch.outcome == nil else {
            // Stopped: nothing more is sent. These players are judged from the journal now, so
            // the rest of the date is counted without being held.
            let verdicts = journal.read { plan.verdicts(of: chunk.inputs, index: $0) }
            totals.players += chunk.inputs.count
            totals.alreadyComplete += plan.alreadyComplete.count
            await batch.recordUnsent(verdicts)
            return
        }
        if totals.started {
            try await append(entries(superseded: plan.superseded, unreadable: chunk.unreadable, opened: opened), to: journal)
        } else {
            try await journalStart(journal, superseded: plan.superseded, unreadable: chunk.unreadable, opened: opened,
                                   versions: versions, readiness: readiness)
            totals.started = true
        }
        totals.players += chunk.inputs.count
        totals.alreadyComplete += plan.alreadyComplete.count
        totals.superseded += plan.superseded.count
        await batch.add(inputs: chunk.inputs, plan: plan)
    }

    /// Superseded records, then skips for unreadable store rows (once per reason).
    private func entries(superseded: [JournalEntry.Superseded], unreadable: [PlayerLookup: String],
                         opened index: JournalIndex) -> [JournalEntry] {
        var entries: [JournalEntry] = superseded.map { .superseded($0) }
        for (player, reason) in unreadable.sorted(by: { $0.key < $1.key }) {
            if let last = index.skippedPlayers[player], last.inputFingerprint == nil, last.reasons == [reason] { continue }
            entries.append(.playerSkipped(JournalEntry.PlayerSkipped(player: player, reasons: [reason])))
        }
        return entries
    }

    private func append(_ entries: [JournalEntry], to journal: JournalWriter) async throws {
        guard !entries.isEmpty else { return }
        do { _ = try await journal.append(entries) } catch { throw BatchError(.journal, "\(error)") }
    }

    /// Journals the first chunk's superseded records and unreadable-row skips, then
    /// `batch_started`.
    func journalStart(_ journal: JournalWriter, superseded: [JournalEntry.Superseded], unreadable: [PlayerLookup: String],
                      opened: JournalIndex, versions: [SystemID: String], readiness: Readiness) async throws {
        var entries = entries(superseded: superseded, unreadable: unreadable, opened: opened)
        var config = ["mode": configuration.isRetry ? "retry" : "run", "max_attempts": "\(configuration.maxAttempts)",
                      "request_timeout": "\(configuration.requestTimeout)",
                      "players_with_features": "\(readiness.playersWithFeatures)",
                      JournalEntry.BatchStarted.modelVersionsKey: JournalEntry.BatchStarted.modelVersionsText(versions)]
        if let quality = readiness.averageQuality, quality < configuration.readinessRule.minAverageQuality {
            config["low_quality_allowed"] = String(format: "average quality %.1f < %g", quality,
                                                   configuration.readinessRule.minAverageQuality)
        }
        entries.append(.batchStarted(JournalEntry.BatchStarted(
            gameDate: configuration.date, coordinator: configuration.nodeID,
            workers: configuration.workers.map(\.description), expectedPlayers: readiness.expectedPlayers, config: config)))
        try await append(entries, to: journal)
    }

    /// Coverage from the batch's verdicts (players still undecided are judged from the
    /// journal), `batch_finished`, and the report.
    func finish(journal: JournalWriter, batch: BatchActor, totals: LoadingTotals, readiness: Readiness, outcome: String,
                elapsed: Duration) async throws -> BatchReport {
        let (tally, undecided) = await batch.coverageSoFar
        let expectedPlayers = readiness.expectedPlayers
        let coverage = journal.read { index in
            var tally = tally
            for expected in undecided { tally.add(expected.player, CoverageVerdict(expected, index: index)) }
            return CoverageReport(tally: tally, unreadable: totals.unreadable, index: index, expectedPlayers: expectedPlayers)
        }
        do { _ = try await journal.append(.batchFinished(coverage.finishedRecord(outcome: outcome))) } catch {
            throw BatchError(.journal, "\(error)")
        }
        var statistics = await batch.statistics
        statistics.journalSyncs = await journal.statistics.syncs
        var report = BatchReport(date: configuration.date, journalPath: journal.path, outcome: outcome,
                           statistics: statistics, coverage: coverage,
                           slaViolations: configuration.sla.violations(of: coverage),
                           alreadyComplete: totals.alreadyComplete, superseded: totals.superseded,
                           refusedWorkers: await batch.refusedWorkers, workerErrors: await batch.workerErrors,
                           wallTime: elapsed)
        if let quality = readiness.averageQuality, quality < configuration.readinessRule.minAverageQuality {
            report.notes.append(String(format: "average feature quality %.1f is below --min-quality %g; predicted anyway "
                                       + "(--allow-low-quality)", quality, configuration.readinessRule.minAverageQuality))
        }
        return report
    }
}
