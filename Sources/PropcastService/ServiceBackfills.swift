import Foundation
import PropcastCoordinator
import PropcastHTTP
import PropcastModels
import PropcastStore

/// A backfill started through `POST /api/v1/backfills`, as `GET /api/v1/backfills` shows it.
public struct BackfillRecord: Sendable, Codable, Hashable {
    public var id: Int
    public var from: String
    public var to: String
    public var jobs: Int
    /// `running` or `ended`.
    public var state: String
    public var datesTotal: Int
    public var datesRun: Int
    public var datesComplete: Int
    public var datesFailed: Int
    /// The worst exit status of the dates run so far.
    public var exitStatus: Int32

    enum CodingKeys: String, CodingKey {
        case id, from, to, jobs, state, datesTotal = "dates_total", datesRun = "dates_run"
        case datesComplete = "dates_complete", datesFailed = "dates_failed", exitStatus = "exit_status"
    }
}

/// Backfills through the API: the dates with games in the range, `jobs` at a time, each a
/// run of ``DateRuns`` (so a date already running or complete is not run twice).
public actor ServiceBackfills {
    private let runs: DateRuns
    private let storePath: String
    private var records: [Int: BackfillRecord] = [:]
    private var nextID = 1

    public init(runs: DateRuns, storePath: String) {
        self.runs = runs
        self.storePath = storePath
    }

    /// Every backfill since the service started, newest first.
    public var all: [BackfillRecord] { records.values.sorted { $0.id > $1.id } }

    struct Request: Decodable {
        var from: String
        var to: String
        var jobs: Int?
    }

    /// Starts a backfill from a JSON body `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "jobs": 2}` (202).
    func start(body: [UInt8]) -> HTTPResponse {
        guard let request = try? JSONDecoder().decode(Request.self, from: Data(body)),
              let from = GameDate(request.from), let to = GameDate(request.to), from <= to else {
            return .problem(400, "the body must be {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\", \"jobs\": N} with from ≤ to")
        }
        let jobs = min(16, max(1, request.jobs ?? 2))
        let dates: [GameDate]
        do { dates = try FeatureStore(path: storePath).gameDates().filter { $0 >= from && $0 <= to } } catch {
            return .problem(422, "\(error)")
        }
        let record = BackfillRecord(id: nextID, from: "\(from)", to: "\(to)", jobs: jobs, state: "running",
                                    datesTotal: dates.count, datesRun: 0, datesComplete: 0, datesFailed: 0, exitStatus: 0)
        nextID += 1
        records[record.id] = record
        Task { await run(record.id, dates: dates, jobs: jobs) }
        return .json(record, status: 202)
    }

    private func run(_ id: Int, dates: [GameDate], jobs: Int) async {
        let runs = self.runs
        await withTaskGroup(of: (complete: Bool, record: RunRecord?).self) { tasks in
            var next = dates.makeIterator()
            func startNext() -> Bool {
                guard let date = next.next() else { return false }
                tasks.addTask {
                    switch await runs.start(date, trigger: .backfill) {
                    case .started: return (false, await runs.waitForRun(of: date))
                    case .running: return (false, await runs.waitForRun(of: date))
                    case .complete: return (true, nil)
                    case .refused: return (false, nil)
                    }
                }
                return true
            }
            for _ in 0..<jobs where !startNext() { break }
            while let result = await tasks.next() {
                settle(id, complete: result.complete, record: result.record)
                _ = startNext()
            }
        }
        records[id]?.state = "ended"
    }

    private func settle(_ id: Int, complete: Bool, record: RunRecord?) {
        guard var backfill = records[id] else { return }
        if complete {
            backfill.datesComplete += 1
        } else if let record, record.outcome != "failed" {
            backfill.datesRun += 1
            backfill.exitStatus = max(backfill.exitStatus, record.exitStatus ?? 0)
        } else {
            backfill.datesFailed += 1
            backfill.exitStatus = max(backfill.exitStatus, record?.exitStatus ?? ExitStatus.usage.rawValue)
        }
        records[id] = backfill
    }
}
