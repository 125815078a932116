import PropcastCoordinator
import PropcastModels

/// What the home page shows, gathered by the API from the service's parts.
struct DashboardSnapshot: Sendable {
    var coordinator: String
    var window: String
    var watchedDate: GameDate?
    var watchedSummary: DateSummary?
    var runningNow: [RunRecord]
    var dates: [DateSummary]
    var workers: [WorkerStatus]
    var alerts: [Alert]
    var gradings: [DateGrading]
}

/// The server-rendered dashboard pages: home (today, season, workers, grading) and a date.
enum DashboardPages {
    static let stateColours = ["FINISHED": "#2e7d32", "RUNNING": "#1565c0", "INTERRUPTED": "#ef6c00",
                               "NOT_STARTED": "#757575", "DAMAGED": "#c62828"]
    static let systemColours = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828"]

    static func home(_ snapshot: DashboardSnapshot) -> String {
        var body = "<h1>Propcast coordinator <small>\(HTML.escape(snapshot.coordinator))</small></h1>"
        body += today(snapshot)
        if !snapshot.alerts.isEmpty {
            let lines = snapshot.alerts.map {
                "<div class=\"alert\">\(HTML.escape($0.condition.rawValue)) <b>\(HTML.escape($0.subject))</b>: "
                    + "\(HTML.escape($0.message)) <small>since \(HTML.escape($0.at))</small></div>"
            }
            body += "<h2>Alerts firing (\(lines.count))</h2>" + lines.prefix(3).joined()
                + (lines.count > 3 ? "<details><summary>\(lines.count - 3) more</summary>\(lines.dropFirst(3).joined())</details>" : "")
        }
        body += season(snapshot.dates)
        body += "<h2>Workers</h2>" + workers(snapshot.workers)
        body += grading(snapshot.gradings)
        return HTML.page(title: "Propcast coordinator", refresh: snapshot.runningNow.isEmpty ? nil : 3, body: body)
    }

    private static func today(_ snapshot: DashboardSnapshot) -> String {
        guard let date = snapshot.watchedDate else { return "<h2>Today</h2><p>No date watched.</p>" }
        let state = snapshot.runningNow.contains { $0.date == date.description } ? "RUNNING"
            : snapshot.watchedSummary?.state ?? "NOT_STARTED"
        var html = "<h2>Today</h2><p id=\"today\">Watching <a href=\"/dates/\(date)\"><b>\(date)</b></a> "
            + "\(HTML.state(state)) (window \(HTML.escape(snapshot.window)))</p>"
        for run in snapshot.runningNow {
            html += "<p>run \(run.id) of <a href=\"/dates/\(HTML.escape(run.date))\">\(HTML.escape(run.date))</a> "
                + "(\(run.trigger.rawValue)) since \(HTML.escape(run.startedAt))</p>"
                + HTML.progress(done: run.playersFinished, total: run.playersTotal)
        }
        if let summary = snapshot.watchedSummary, let coverage = summary.coveragePct {
            html += "<p>last batch: \(HTML.escape(summary.lastOutcome ?? "–")), \(HTML.number(coverage))% coverage, "
                + "\(summary.predictions) predictions</p>"
        }
        return html
    }

    private static func season(_ dates: [DateSummary]) -> String {
        guard !dates.isEmpty else { return "<h2>Season</h2><p>No journaled dates yet.</p>" }
        let ascending = dates.sorted { $0.date < $1.date }
        let bars = ascending.map {
            SVGChart.Bar(label: $0.date, detail: $0.state, value: $0.coveragePct ?? 0,
                         colour: stateColours[$0.state] ?? "#757575", link: "/dates/\($0.date)")
        }
        let rows = dates.map { summary in
            ["<a href=\"/dates/\(HTML.escape(summary.date))\">\(HTML.escape(summary.date))</a>", HTML.state(summary.state),
             HTML.number(summary.coveragePct), "\(summary.predictions)", "\(summary.superseded)",
             HTML.escape(summary.lastFinishedAt ?? "–")]
        }
        let legend = ["FINISHED", "RUNNING", "INTERRUPTED", "NOT_STARTED", "DAMAGED"].map(HTML.state).joined(separator: " ")
        return "<h2>Season</h2><p>Coverage per date, coloured by state (click a bar for the date): \(legend)</p>"
            + SVGChart.bars(id: "season-chart", title: "Coverage per date", bars)
            + "<details><summary>\(dates.count) dates</summary>"
            + HTML.table(id: "dates", header: ["date", "state", "coverage %", "predictions", "superseded", "last finished"],
                         rows: rows, numeric: [2, 3, 4]) + "</details>"
    }

    static func workers(_ workers: [WorkerStatus]) -> String {
        HTML.table(id: "workers", header: ["worker", "state", "node", "slots", "models", "round trip ms", "certificate expires", "last error"],
                   rows: workers.map { worker in
            [HTML.escape(worker.address), worker.up ? "<span class=\"up\">up</span>" : "<span class=\"down\">down</span>",
             HTML.escape(worker.nodeID ?? "–"), worker.slots.map(String.init) ?? "–",
             HTML.escape((worker.modelVersions ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")),
             HTML.number(worker.lastRoundTripMS, digits: 2), HTML.escape(worker.certificateExpiry ?? "–"),
             HTML.escape(worker.up ? "" : worker.lastError ?? "")]
        }, numeric: [3, 5])
    }

    private static func grading(_ gradings: [DateGrading]) -> String {
        let graded = gradings.filter { $0.systems.contains { $0.gradedPlayerGames > 0 } }.sorted { $0.date < $1.date }
        guard !graded.isEmpty else { return "<h2>Grading</h2><p>No graded dates yet (no actual points in the store).</p>" }
        let labels = graded.map(\.date)
        func series(_ value: (GradingSummary) -> Double?) -> [SVGChart.Series] {
            SystemID.all.enumerated().map { number, system in
                SVGChart.Series(name: system.rawValue, colour: systemColours[number % systemColours.count],
                                values: graded.map { grading in grading.systems.first { $0.systemID == system }.flatMap(value) })
            }
        }
        let maes = series(\.meanAbsoluteError)
        let highest = maes.flatMap(\.values).compactMap { $0 }.max() ?? 10
        return "<h2>Grading</h2><p>Mean absolute error (points) per system and date:</p>"
            + SVGChart.lines(id: "grading-mae", title: "MAE per system", labels: labels, series: maes,
                             maximum: max(1, (highest / 5).rounded(.up) * 5), suffix: "")
            + "<p>OVER/UNDER hit rate per system and date:</p>"
            + SVGChart.lines(id: "grading-hit-rate", title: "Hit rate per system", labels: labels,
                             series: series { $0.hitRate.map { $0 * 100 } }, maximum: 100, suffix: "%")
    }

    /// The page of one date: coverage per system, players without predictions and why,
    /// superseded rows, runs, the journal head.
    static func date(_ status: BatchStatus, summary: DateSummary, runs: [RunRecord]) -> String {
        let running = runs.first { $0.state == "running" }
        var body = "<h1>\(HTML.escape(status.date)) \(HTML.state(running != nil ? "RUNNING" : status.state.rawValue))</h1>"
        if let running { body += HTML.progress(done: running.playersFinished, total: running.playersTotal) }
        body += "<p id=\"coverage\">\(HTML.number(status.coveragePercent))% coverage: \(status.coverage.coveredPlayers) of "
            + "\(status.coverage.expectedPlayers) expected players covered, \(status.coverage.predictions) predictions, "
            + "\(summary.superseded) superseded rows</p>"
        for violation in status.slaViolations { body += "<div class=\"alert\">SLA: \(HTML.escape(violation))</div>" }
        body += "<h2>Systems</h2>" + HTML.table(
            id: "systems", header: ["system", "players covered", "players skipped", "predictions"],
            rows: status.systems.map { [HTML.escape($0.systemID), "\($0.playersCovered)", "\($0.playersSkipped)", "\($0.predictions)"] },
            numeric: [1, 2, 3])
        let gaps = status.coverage.skipped.map { ("skipped", $0) } + status.coverage.failed.map { ("failed", $0) }
            + status.coverage.missing.map { ("missing", $0) }
        body += "<h2>Players without predictions</h2>" + (gaps.isEmpty ? "<p>None.</p>" : HTML.table(
            id: "gaps", header: ["player", "kind", "reason"],
            rows: gaps.map { [HTML.escape($0.1.player), $0.0, HTML.escape($0.1.reason)] }))
        body += "<h2>Runs by this service</h2>" + (runs.isEmpty ? "<p>None since the service started.</p>" : HTML.table(
            id: "runs", header: ["run", "trigger", "started", "finished", "outcome", "exit", "coverage %", "predictions", "superseded", "message"],
            rows: runs.map { run in
                ["\(run.id)", run.trigger.rawValue, HTML.escape(run.startedAt), HTML.escape(run.finishedAt ?? "–"),
                 HTML.escape(run.outcome ?? run.state), run.exitStatus.map { "\($0)" } ?? "–", HTML.number(run.coveragePct),
                 run.predictionsWritten.map(String.init) ?? "–", run.superseded.map(String.init) ?? "–",
                 HTML.escape(run.message ?? "")]
            }, numeric: [0, 5, 6, 7, 8]))
        body += "<h2>Journal</h2><p id=\"journal-head\">\(HTML.escape(status.journalPath)): head seq <b>\(status.headSeq)</b> "
            + "sha256 <code>\(HTML.escape(status.headSHA256))</code> — verify with "
            + "<code>propcast journal verify --date \(HTML.escape(status.date)) --expect-head \(status.headSeq):\(HTML.escape(status.headSHA256))</code></p>"
        return HTML.page(title: "Propcast \(status.date)", refresh: running == nil ? nil : 3, body: body)
    }
}
