import Foundation
import PropcastModels
import PropcastTestSupport
import Testing

extension ServiceProcessTests {
    /// The dashboard in a real headless browser (Debian's `chromium`): pages load with no console
    /// errors, the rows and charts are in the DOM, and a screenshot is kept as a test artefact.
    @Suite struct DashboardBrowserTests {
        static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }

        /// Runs headless chromium on `url` with `arguments`; its stdout and stderr.
        func browse(_ url: String, _ arguments: [String], profile: TemporaryDirectory) async throws -> (dom: String, log: String) {
            let binary = try #require(Self.chromium, "chromium is not installed: run Ops/install-deps.sh (apt-get install chromium)")
            let result = try await TestProcess.run(binary, [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
            ] + arguments + [url], timeout: .seconds(120))
            #expect(result.status == 0, "chromium failed: \(result.stderr.suffix(2000))")
            return (result.stdout, result.stderr)
        }

        func expectNoConsoleErrors(_ log: String, page: String) {
            let problems = log.split(separator: "\n").filter {
                $0.contains(":CONSOLE") || $0.contains("Uncaught") || $0.contains("Failed to load resource")
            }
            #expect(problems.isEmpty, "console output on \(page): \(problems)")
        }

        @Test func theDashboardLoadsInABrowserWithItsRowsAndCharts() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            try await cluster.startWorkers(2)
            let dates = Array(cluster.dates.dropFirst(7))
            try await cluster.startCoordinator(date: dates[dates.count - 1], extra: ["--poll-interval", "1h"])
            // A backfill through the API fills the season view and the grading charts.
            let started = try await cluster.request("POST", "/api/v1/backfills",
                                                    body: "{\"from\": \"\(dates[0])\", \"to\": \"\(dates[dates.count - 1])\", \"jobs\": 2}")
            #expect(started.status == 202, "\(started.body)")
            try await cluster.waitUntil("the backfill ended", timeout: .seconds(180)) {
                let backfills = try await cluster.json("/api/v1/backfills")["backfills"] as? [[String: Any]] ?? []
                return backfills.first?["state"] as? String == "ended"
            }
            let backfill = try #require((try await cluster.json("/api/v1/backfills")["backfills"] as? [[String: Any]])?.first)
            #expect(backfill["dates_total"] as? Int == dates.count)
            #expect([0, 3].contains(backfill["exit_status"] as? Int ?? -1), "0, or 3 where a date breaches the SLA: \(backfill)")
            let listed = try await cluster.json("/api/v1/dates")["dates"] as? [[String: Any]] ?? []
            #expect(listed.count == dates.count)
            #expect(listed.allSatisfy { $0["state"] as? String == "FINISHED" })

            let profile = try TemporaryDirectory(prefix: "chromium")
            defer { profile.remove() }
            let home = try await browse(cluster.base + "/", ["--dump-dom"], profile: profile)
            expectNoConsoleErrors(home.log, page: "/")
            #expect(home.dom.contains("<svg id=\"season-chart\""))
            #expect(home.dom.components(separatedBy: "class=\"date-bar\"").count - 1 == dates.count, "one bar per date")
            #expect(home.dom.components(separatedBy: "<a href=\"/dates/").count - 1 >= dates.count * 2)
            #expect(home.dom.contains("<table id=\"workers\""))
            #expect(home.dom.components(separatedBy: "<span class=\"up\">up</span>").count - 1 == 2, "both workers up")
            #expect(home.dom.contains("<svg id=\"grading-mae\"") && home.dom.contains("<svg id=\"grading-hit-rate\""))
            #expect(home.dom.components(separatedBy: "class=\"series\" data-system=").count - 1 >= 5 * 2)

            let date = dates[dates.count / 2]
            let page = try await browse(cluster.base + "/dates/\(date)", ["--dump-dom"], profile: profile)
            expectNoConsoleErrors(page.log, page: "/dates/\(date)")
            #expect(page.dom.contains("<table id=\"systems\""))
            for system in SystemID.all { #expect(page.dom.contains("<td>\(system.rawValue)</td>")) }
            #expect(page.dom.contains("<table id=\"runs\"") && page.dom.contains("<td>backfill</td>"))
            #expect(page.dom.contains("id=\"journal-head\""))

            let artefacts = RepositoryPaths.root + "/.build/test-artefacts"
            try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
            let screenshot = artefacts + "/dashboard.png"
            try? FileManager.default.removeItem(atPath: screenshot)
            let shot = try await browse(cluster.base + "/", ["--screenshot=\(screenshot)", "--window-size=1200,1500",
                                                             "--hide-scrollbars"], profile: profile)
            expectNoConsoleErrors(shot.log, page: "/ (screenshot)")
            let size = (try FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? NSNumber)?.intValue ?? 0
            #expect(size > 10_000, "screenshot \(screenshot) is \(size) bytes")
        }
    }
}
