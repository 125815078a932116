import Foundation
import GRDB
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

extension ServiceProcessTests {
    /// The coordinator service as operators run it: a real daemon process, real workers, a store
    /// that changes under it, triggers and webhooks over real HTTP.
    @Suite struct CoordinatorServiceTests {
        /// Every prediction the store asks for is in the journal exactly once (ids are unique in
        /// a verified journal) and nothing is left to do.
        func expectComplete(_ cluster: ServiceCluster, _ date: GameDate) throws {
            let pending = try PendingWork(date: date, storePath: cluster.store, journalDirectory: cluster.journalDirectory)
            #expect(pending.isComplete, "left to do on \(date): \(pending)")
            let rows = try cluster.journal(date).predictionRows
            #expect(Set(rows.map(\.predictionID)).count == rows.count, "duplicate prediction ids on \(date)")
        }

        @Test func theBatchStartsWithinTwoPollIntervalsOfTheStoreBecomingReady() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            let date = cluster.dates[cluster.dates.count - 2]
            try cluster.edit { db in
                try db.execute(sql: "UPDATE ml_feature_store_v2 SET is_production_ready = 0 WHERE game_date = ?", arguments: ["\(date)"])
            }
            try await cluster.startWorkers(2)
            try await cluster.startCoordinator(date: date, extra: ["--poll-interval", "1s", "--min-ready-players", "5"])
            // Three polls of a store that is not ready: nothing starts.
            try await Task.sleep(for: .seconds(3))
            #expect(try await cluster.runs(of: date).isEmpty)
            // The service stamps a run when its watch decides to start it (milliseconds, UTC):
            // compared with the moment of the UPDATE on the same clock, not with when curl saw it.
            let ready = Date()
            try cluster.edit { db in
                try db.execute(sql: "UPDATE ml_feature_store_v2 SET is_production_ready = 1 WHERE game_date = ?", arguments: ["\(date)"])
            }
            var stamp: String?
            try await cluster.waitUntil("the watch started a run") {
                guard let run = try await cluster.runs(of: date).first else { return false }
                #expect(run["trigger"] as? String == "watch")
                stamp = run["started_at"] as? String
                return true
            }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let started = try #require(stamp.flatMap(formatter.date(from:)), "started_at \(stamp ?? "missing")")
            let delay = started.timeIntervalSince(ready)
            #expect(delay >= 0 && delay <= 2, "the run started \(delay) s after the store became ready (poll interval 1 s)")
            let run = try await cluster.waitForRunToEnd(date)
            #expect(run["outcome"] as? String == "finished")
            try expectComplete(cluster, date)
            // systemd's stop: SIGTERM ends the service with exit 0.
            let service = try #require(cluster.coordinator)
            service.signal(SIGTERM)
            #expect(try await service.waitForExit() == 0, "\(service.stderr.suffix(2000))")
        }

        @Test func aTriggerStartsAtOnceADuplicateIsRefusedAndACompleteDateSaysSo() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            // Slow workers: the run lasts long enough for the duplicate to meet it, even when a
            // loaded machine takes a second or more to start the second curl (300 ms per answer
            // was not: the run of ~20 players ended first once in a full suite run).
            try await cluster.startWorkers(2, extra: ["--simulate-latency", "1s"])
            let watched = cluster.dates[0]
            let date = cluster.dates[cluster.dates.count - 1]
            try await cluster.startCoordinator(date: watched, extra: ["--poll-interval", "1h"])
            let first = try await cluster.request("POST", "/api/v1/dates/\(date)/runs")
            #expect(first.status == 202, "\(first.body)")
            #expect(first.body.contains("\"result\" : \"started\""))
            let duplicate = try await cluster.request("POST", "/api/v1/dates/\(date)/runs")
            #expect(duplicate.status == 409, "\(duplicate.body)")
            #expect(duplicate.body.contains("\"result\" : \"running\""))
            let run = try await cluster.waitForRunToEnd(date)
            #expect(run["trigger"] as? String == "api")
            #expect(run["outcome"] as? String == "finished")
            let again = try await cluster.request("POST", "/api/v1/dates/\(date)/runs")
            #expect(again.status == 200, "\(again.body)")
            #expect(again.body.contains("already_complete"))
            #expect(try await cluster.runs(of: date).count == 1, "a duplicate trigger started a second run")
            try expectComplete(cluster, date)
            let status = try await cluster.json("/api/v1/dates/\(date)")
            #expect(status["state"] as? String == "FINISHED")
            let bad = try await cluster.request("POST", "/api/v1/dates/2025-13-45/runs")
            #expect(bad.status == 400 && bad.body.contains("YYYY-MM-DD"))
        }

        @Test func aLineChangeIsPickedUpByTheRefresh() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            try await cluster.startWorkers(1)
            let date = cluster.dates[cluster.dates.count - 1]
            try await cluster.startCoordinator(date: date, extra: ["--poll-interval", "500ms", "--refresh", "2s",
                                                                   "--min-ready-players", "5"])
            _ = try await cluster.waitForRunToEnd(date)
            let before = try cluster.journal(date)
            // The feature-store writer moves two players' lines up by ten points.
            let changed = try StoreEdits.moveLines(storePath: cluster.store, date: "\(date)", players: 2, by: 10)
            let refresh = try await cluster.waitForRunToEnd(date, count: 2)
            #expect(refresh["trigger"] as? String == "refresh")
            #expect(refresh["outcome"] as? String == "finished")
            let after = try cluster.journal(date)
            let superseded = after.supersededRecords
            #expect(Set(superseded.compactMap(\.player).map(\.rawValue)) == Set(changed))
            #expect(superseded.allSatisfy { $0.reason == SupersedeReason.lineWithdrawn })
            let newRows = after.predictionRows.dropFirst(before.predictionRows.count)
            #expect(!newRows.isEmpty && newRows.allSatisfy { changed.contains($0.player.rawValue) })
            try expectComplete(cluster, date)
            // Nothing changed since: the next refreshes start nothing.
            try await Task.sleep(for: .seconds(4.5))
            #expect(try await cluster.runs(of: date).count == 2)
        }

        @Test func theQualityGateAndADeadWorkerAlertByWebhookAndTheGateResolvesWhenTheStoreImproves() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            let hook = try await WebhookReceiver.start(in: cluster.fixture.directory)
            defer { hook.stop() }
            try await cluster.startWorkers(1)
            let date = cluster.dates[cluster.dates.count - 1]
            // 127.0.0.1:1: a worker host that is down.
            try await cluster.startCoordinator(date: date, workers: cluster.workerList + ",127.0.0.1:1", extra: [
                "--poll-interval", "500ms", "--min-ready-players", "5", "--min-quality", "99.5",
                "--alert-webhook", hook.url, "--worker-down-alert", "1s",
            ])
            let firing = try await hook.waitForAlert { $0["condition"] as? String == "quality_gate" && $0["state"] as? String == "firing" }
            #expect(firing["subject"] as? String == "\(date)")
            #expect((firing["text"] as? String)?.contains("[propcast FIRING] quality_gate \(date)") == true)
            #expect(try cluster.journal(date).predictionRows.isEmpty, "the gate let predictions through")
            try cluster.edit { db in
                try db.execute(sql: "UPDATE ml_feature_store_v2 SET feature_quality_score = 100 WHERE game_date = ?", arguments: ["\(date)"])
            }
            let resolved = try await hook.waitForAlert { $0["condition"] as? String == "quality_gate" && $0["state"] as? String == "resolved" }
            #expect(resolved["subject"] as? String == "\(date)")
            _ = try await cluster.waitUntil("a run finished") {
                try await cluster.runs(of: date).contains { $0["outcome"] as? String == "finished" }
            }
            #expect(hook.alerts().filter { $0["condition"] as? String == "quality_gate" }.count == 2, "one alert per condition, one resolved")
            let down = try await hook.waitForAlert { $0["condition"] as? String == "worker_down" }
            #expect(down["subject"] as? String == "127.0.0.1:1" && down["state"] as? String == "firing")
            #expect(hook.alerts().filter { $0["condition"] as? String == "worker_down" }.count == 1, "one alert while it stays down")
            let workers = try await cluster.json("/api/v1/workers")["workers"] as? [[String: Any]] ?? []
            #expect(workers.map { $0["up"] as? Bool } == [true, false], "\(workers)")
            let metrics = try await cluster.request("GET", "/metrics").body
            #expect(metrics.contains("propcast_coordinator_alerts_total{condition=\"quality_gate\",state=\"firing\"} 1"))
            #expect(metrics.contains("# HELP propcast_coordinator_runs_total"))
        }
    }
}
