import Foundation
import Glibc
import PropcastJournal
import PropcastModels

/// `propcast bench journal`: group-commit throughput and append latency with concurrent
/// appenders writing one game date's predictions (default 450 players × 5 systems × 5 lines
/// = 11,250 rows, one append per player), and the device's own write + fdatasync latency.
public struct JournalBenchmark: Sendable {
    /// Concurrent appending tasks.
    public var appenders = 8
    /// Players per game date.
    public var players = 450
    /// Lines per player (each predicted by all 5 systems).
    public var lines = 5
    /// Records per append call (nil: one player's rows = 5 × `lines`).
    public var batch: Int?
    /// Fresh game dates written; figures cover all rounds.
    public var rounds = 5
    /// `.fsync` (one fdatasync per group) or `.none` (benchmark only: not durable).
    public var durability = JournalConfiguration.Durability.fsync
    /// Group syncs allowed in progress at once.
    public var maxSyncs = 4
    /// Directory of the benchmark journals (nil: a new temporary directory, removed after).
    public var dir: String?

    public init() {}

    /// Writes the rounds and returns the report lines. Throws ``JournalError`` when the
    /// directory cannot be written.
    public func run() async throws -> [String] {
        let mode = durability
        var report: [String] = []
        let directory = dir ?? NSTemporaryDirectory() + "propcast-bench-journal-\(UUID().uuidString.prefix(8))"
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let perCall = batch ?? SystemID.all.count * lines
        var latencies: [Double] = []
        var dateMilliseconds: [Double] = []
        var totalRecords = 0
        var totalSeconds = 0.0
        var groups: UInt64 = 0
        for round in 0..<rounds {
            let date = GameDate(year: 2025, month: 1, day: 1)!.adding(days: round)
            let rows = Self.syntheticRows(date: date, players: players, lines: lines)
            let calls = stride(from: 0, to: rows.count, by: perCall).map { Array(rows[$0..<min($0 + perCall, rows.count)]) }
            let writer = try await JournalWriter.open(directory: directory, date: date,
                                                      configuration: .init(durability: mode, maxSyncsInFlight: maxSyncs))
            let start = ContinuousClock.now
            let measured = try await Self.appendConcurrently(calls, appenders: appenders, writer: writer)
            let elapsed = ContinuousClock.now - start
            groups += await writer.statistics.groups
            await writer.close()
            latencies += measured
            let seconds = elapsed.seconds
            dateMilliseconds.append(seconds * 1000)
            totalRecords += rows.count
            totalSeconds += seconds
        }
        latencies.sort()
        dateMilliseconds.sort()
        let deviceSync = try Self.deviceSyncMilliseconds(directory: directory, bytes: 50_000)
        let label = mode == .fsync ? "fsync group commit (fdatasync per group)" : "durability NONE (benchmark only, NOT durable)"
        report.append("journal bench: \(label), \(maxSyncs) syncs in flight max, \(appenders) appenders, \(perCall) records per append, "
            + "\(players * lines * SystemID.all.count) records per date, \(rounds) rounds")
        report.append(String(format: "throughput: %.0f records/s; %llu groups, %.1f records per group (one write + one sync each)",
                     Double(totalRecords) / totalSeconds, groups, Double(totalRecords) / Double(max(groups, 1))))
        report.append(String(format: "append latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d appends)",
                     BenchFigures.percentile(latencies, 0.50), BenchFigures.percentile(latencies, 0.99), latencies.last ?? 0,
                     latencies.count))
        report.append(String(format: "one game date (%d predictions) durable in: median %.1f ms, worst %.1f ms",
                     players * lines * SystemID.all.count, BenchFigures.percentile(dateMilliseconds, 0.5),
                     dateMilliseconds.last ?? 0))
        report.append(String(format: "device baseline: write 50 KB + fdatasync p50 %.3f ms, p99 %.3f ms (%@)",
                     BenchFigures.percentile(deviceSync, 0.5), BenchFigures.percentile(deviceSync, 0.99), directory))
        return report
    }

    /// Runs `calls` on `appenders` tasks (task k takes calls k, k + appenders, …); returns each
    /// call's latency in milliseconds.
    private static func appendConcurrently(_ calls: [[PredictionRow]], appenders: Int,
                                   writer: JournalWriter) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for first in 0..<appenders {
                group.addTask {
                    var latencies: [Double] = []
                    for next in stride(from: first, to: calls.count, by: appenders) {
                        let start = ContinuousClock.now
                        _ = try await writer.appendPredictions(calls[next])
                        let elapsed = ContinuousClock.now - start
                        latencies.append(elapsed.milliseconds)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
    }

    /// Sorted latencies (ms) of 100 × (append `bytes` + fdatasync) on a scratch file in
    /// `directory`: what one group commit costs on this disk, without the journal.
    private static func deviceSyncMilliseconds(directory: String, bytes: Int) throws -> [Double] {
        let path = directory + "/bench-device-sync.tmp"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "create", errno: errno) }
        defer { close(fd); unlink(path) }
        let block = [UInt8](repeating: UInt8(ascii: "x"), count: bytes)
        var samples: [Double] = []
        for _ in 0..<100 {
            let start = ContinuousClock.now
            guard block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes, fdatasync(fd) == 0 else {
                throw JournalError.io(path: path, operation: "write + fdatasync", errno: errno)
            }
            let elapsed = ContinuousClock.now - start
            samples.append(elapsed.milliseconds)
        }
        return samples.sorted()
    }

    /// Realistic rows for `players` players: every system against `lines` lines, with extras.
    static func syntheticRows(date: GameDate, players: Int, lines: Int) -> [PredictionRow] {
        var rows: [PredictionRow] = []
        rows.reserveCapacity(players * lines * SystemID.all.count)
        for playerNumber in 0..<players {
            let player = PlayerLookup("player\(playerNumber)")
            let game = GameID("\(date.description.replacingOccurrences(of: "-", with: ""))_G\(playerNumber / 26)")
            let base = 10 + Double(playerNumber % 25)
            for system in SystemID.all {
                for lineNumber in 0..<lines {
                    let line = LineValue(base - 1 + Double(lineNumber) * 0.5)
                    let predicted = base + Double(system.rawValue.count % 5) * 0.7
                    let id = PredictionID(gameDate: date, player: player, gameID: game, system: system,
                                          line: line, modelVersion: "v1", inputFingerprint: nil)
                    rows.append(PredictionRow(
                        predictionID: id, systemID: system, player: player, gameDate: date, gameID: game,
                        predictedPoints: predicted, confidenceScore: 61.5,
                        recommendation: predicted > line.rawValue ? .over : .under, line: line,
                        lineMargin: predicted - line.rawValue,
                        extras: ["similar_games_count": .integer(12), "adjustment": .number(1.25)],
                        modelVersion: "v1", inputFingerprint: nil))
                }
            }
        }
        return rows
    }
}
