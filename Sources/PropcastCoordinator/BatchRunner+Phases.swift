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
        throw BatchError(.storeNotReady, String(format: "average feature quality on %@ is %.1f, below --min-quality %g "
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

    /// Journals the plan's superseded records, skips for unreadable store rows (once per
    /// reason) and `batch_started`.
    func journalStart(_ journal: JournalWriter, plan: BatchPlan, readiness: Readiness,
                      unreadable: [PlayerLookup: String]) async throws {
        let index = await journal.index
        var entries: [JournalEntry] = plan.superseded.map { .superseded($0) }
        for (player, reason) in unreadable.sorted(by: { $0.key < $1.key }) {
            if let last = index.skippedPlayers[player], last.inputFingerprint == nil, last.reasons == [reason] { continue }
            entries.append(.playerSkipped(JournalEntry.PlayerSkipped(player: player, reasons: [reason])))
        }
        var config = ["mode": configuration.isRetry ? "retry" : "run", "max_attempts": "\(configuration.maxAttempts)",
                      "request_timeout": "\(configuration.requestTimeout)", "to_predict": "\(plan.remaining.count)",
                      "already_complete": "\(plan.alreadyComplete.count)", "unreadable_rows": "\(unreadable.count)",
                      JournalEntry.BatchStarted.modelVersionsKey: JournalEntry.BatchStarted.modelVersionsText(plan.modelVersions)]
        if let quality = readiness.averageQuality, quality < configuration.readinessRule.minAverageQuality {
            config["low_quality_allowed"] = String(format: "average quality %.1f < %g", quality,
                                                   configuration.readinessRule.minAverageQuality)
        }
        entries.append(.batchStarted(JournalEntry.BatchStarted(
            gameDate: configuration.date, coordinator: configuration.nodeID,
            workers: configuration.workers.map(\.description), expectedPlayers: readiness.expectedPlayers, config: config)))
        do { _ = try await journal.append(entries) } catch { throw BatchError(.journal, "\(error)") }
    }

    func finish(journal: JournalWriter, batch: BatchActor, plan: BatchPlan, unreadable: [PlayerLookup: String],
                readiness: Readiness, outcome: String, elapsed: Duration) async throws -> BatchReport {
        let index = await journal.index
        let coverage = CoverageReport(expectations: Array(plan.expectations.values), unreadable: unreadable, index: index,
                                      expectedPlayers: readiness.expectedPlayers)
        do { _ = try await journal.append(.batchFinished(coverage.finishedRecord(outcome: outcome))) } catch {
            throw BatchError(.journal, "\(error)")
        }
        var statistics = await batch.statistics
        statistics.journalSyncs = await journal.statistics.syncs
        var report = BatchReport(date: configuration.date, journalPath: journal.path, outcome: outcome,
                           statistics: statistics, coverage: coverage,
                           slaViolations: configuration.sla.violations(of: coverage),
                           alreadyComplete: plan.alreadyComplete.count, superseded: plan.superseded.count,
                           refusedWorkers: await batch.refusedWorkers, workerErrors: await batch.workerErrors,
                           wallTime: elapsed)
        if let quality = readiness.averageQuality, quality < configuration.readinessRule.minAverageQuality {
            report.notes.append(String(format: "average feature quality %.1f is below --min-quality %g; predicted anyway "
                                       + "(--allow-low-quality)", quality, configuration.readinessRule.minAverageQuality))
        }
        return report
    }
}
