import Foundation
import PropcastCoordinator
import PropcastHTTP
import PropcastModels

/// The service's HTTP routes (JSON, snake_case) and dashboard pages. README "Coordinator
/// service" lists them with curl examples.
public struct CoordinatorAPI: Sendable {
    let configuration: CoordinatorServiceConfiguration
    let runs: DateRuns
    let catalog: DateCatalog
    let workers: WorkerWatch
    let alerts: AlertCenter
    let metrics: ServiceMetrics
    let backfills: ServiceBackfills

    /// Answers `request`.
    public func respond(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.segments
        switch (request.method, path.count) {
        case ("GET", 0): return HTTPResponse.html(await home())
        case ("GET", 1) where path[0] == "healthz": return .text("ok")
        case ("GET", 1) where path[0] == "metrics":
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.exposition())
        case ("GET", 2) where path[0] == "dates": return await datePage(path[1])
        default: break
        }
        guard path.count >= 3, path[0] == "api", path[1] == "v1" else {
            return .problem(404, "no route \(request.method) \(request.path): see GET / and /api/v1/dates")
        }
        let route = Array(path.dropFirst(2))
        switch (request.method, route.count, route[0]) {
        case ("GET", 1, "dates"): return .json(DateList(dates: await summaries()))
        case ("GET", 2, "dates"): return await dateStatus(route[1])
        case ("GET", 3, "dates") where route[2] == "runs":
            guard let date = GameDate(String(route[1])) else { return badDate(route[1]) }
            return .json(["runs": await runs.runs(of: date)])
        case ("POST", 3, "dates") where route[2] == "runs": return await trigger(route[1])
        case ("GET", 1, "workers"): return .json(["workers": await workers.all])
        case ("GET", 1, "alerts"): return .json(["alerts": await alerts.active])
        case ("GET", 1, "backfills"): return .json(["backfills": await backfills.all])
        case ("POST", 1, "backfills"): return await backfills.start(body: request.body)
        default: return .problem(404, "no route \(request.method) \(request.path): see README \"Coordinator service\"")
        }
    }

    struct DateList: Encodable { var dates: [DateSummary] }

    struct TriggerAnswer: Encodable {
        var result: String
        var date: String
        var run: RunRecord?
        var lockHolderPID: Int32?
        var message: String

        enum CodingKeys: String, CodingKey {
            case result, date, run, lockHolderPID = "lock_holder_pid", message
        }
    }

    /// `POST /api/v1/dates/{date}/runs`: 202 started, 409 running, 200 already complete.
    private func trigger(_ text: Substring) async -> HTTPResponse {
        guard let date = GameDate(String(text)) else { return badDate(text) }
        switch await runs.start(date, trigger: .api) {
        case .started(let run):
            return .json(TriggerAnswer(result: "started", date: "\(date)", run: run,
                                       message: "run \(run.id) of \(date) started; GET /api/v1/dates/\(date) for its progress"),
                         status: 202)
        case .running(let run, let holder):
            let message = run.map { "run \($0.id) of \(date) is running (started \($0.startedAt)); nothing new was started" }
                ?? "another process (pid \(holder ?? 0)) holds the journal of \(date): a `batch run` is going; nothing new was started"
            return .json(TriggerAnswer(result: "running", date: "\(date)", run: run, lockHolderPID: holder, message: message),
                         status: 409)
        case .complete(let pending):
            let message = pending.hasNoGames ? "no games scheduled on \(date); nothing to predict"
                : "already complete: the journal holds every prediction the store asks for on \(date)"
            return .json(TriggerAnswer(result: "already_complete", date: "\(date)", message: message))
        case .refused(let error):
            return .json(TriggerAnswer(result: "refused", date: "\(date)", message: error.description),
                         status: error.exitStatus == .journal ? 500 : 422)
        }
    }

    private func dateStatus(_ text: Substring) async -> HTTPResponse {
        guard let date = GameDate(String(text)) else { return badDate(text) }
        switch Self.status(of: date, configuration) {
        case .success(let status): return .json(status)
        case .failure(let error): return .problem(error.exitStatus == .journal ? 500 : 422, error.description)
        }
    }

    private func datePage(_ text: Substring) async -> HTTPResponse {
        guard let date = GameDate(String(text)) else { return .html(HTML.page(title: "bad date", refresh: nil,
            body: "<p>'\(HTML.escape(String(text)))' is not a date (YYYY-MM-DD).</p>"), status: 400) }
        switch Self.status(of: date, configuration) {
        case .success(let status):
            return .html(DashboardPages.date(status, summary: await catalog.summary(of: date), runs: await runs.runs(of: date)))
        case .failure(let error):
            return .html(HTML.page(title: "\(date)", refresh: nil, body: "<h1>\(date)</h1><div class=\"alert\">"
                                   + HTML.escape(error.description) + "</div>"), status: 500)
        }
    }

    static func status(of date: GameDate, _ configuration: CoordinatorServiceConfiguration) -> Result<BatchStatus, BatchError> {
        Result {
            try BatchStatus(date: date, storePath: configuration.batch.storePath,
                            journalDirectory: configuration.batch.journalDirectory, sla: configuration.batch.sla)
        }.mapError { $0 as? BatchError ?? BatchError(.configuration, "\($0)") }
    }

    private func summaries(of dates: [GameDate]? = nil) async -> [DateSummary] {
        let last = await runs.lastRuns
        var list: [DateSummary] = []
        let journaled: [GameDate]
        if let dates { journaled = dates } else { journaled = await catalog.dates() }
        for date in journaled {
            var summary = await catalog.summary(of: date)
            summary.lastRun = last[date.description]
            list.append(summary)
        }
        return list
    }

    private func home() async -> String {
        let journaled = await catalog.dates()
        let dates = await summaries(of: journaled)
        var gradings: [DateGrading] = []
        for date in journaled { if let grading = await catalog.grading(of: date) { gradings.append(grading) } }
        let watched = await runs.watch?.date
        let snapshot = DashboardSnapshot(
            coordinator: configuration.batch.nodeID, window: configuration.window.text, watchedDate: watched,
            watchedSummary: dates.first { $0.date == watched?.description }, runningNow: await runs.runningNow,
            dates: dates, workers: await workers.all, alerts: await alerts.active, gradings: gradings)
        return DashboardPages.home(snapshot)
    }

    private func badDate(_ text: Substring) -> HTTPResponse {
        .problem(400, "'\(text)' is not a date: use YYYY-MM-DD, e.g. /api/v1/dates/2025-01-15")
    }
}
