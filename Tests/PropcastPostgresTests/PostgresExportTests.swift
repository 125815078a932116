import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastStore
import PropcastTestSupport
import Testing

/// `journal export --postgres`: the table holds exactly the journal's predictions, superseded
/// ones inactive; re-runs change nothing; a kill -9 mid-COPY and a re-run give the exact rows.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs Ops/postgres-test-cluster.sh (always started by .ci/run)"),
       .realProcesses)
struct PostgresExportTests {
    static let date = GameDate("2025-01-15")!

    static func rows(players: Range<Int>, lines: Int = 2) -> [PredictionRow] {
        players.flatMap { number in
            SystemID.all.flatMap { system in
                (0..<lines).map { line in
                    let player = PlayerLookup("player\(number)"), game = GameID("20250115_LAL_BOS")
                    let value = LineValue(20.5 + Double(line)), predicted = 18 + Double(number % 17) + Double(line) / 4
                    let fingerprint = InputFingerprint(hex: String(repeating: "5a", count: 32))!
                    return PredictionRow(
                        predictionID: PredictionID(gameDate: date, player: player, gameID: game, system: system, line: value,
                                                   modelVersion: "v1", inputFingerprint: fingerprint),
                        systemID: system, player: player, gameDate: date, gameID: game, predictedPoints: predicted,
                        confidenceScore: 64, recommendation: predicted > value.rawValue ? .over : .under, line: value,
                        lineMargin: predicted - value.rawValue, extras: ["similar_games_count": .integer(14), "note": .text("q\"x\t")],
                        modelVersion: "v1", inputFingerprint: fingerprint)
                }
            }
        }
    }

    /// The table's rows of the date: id → (points, active, extras' note).
    private func table(_ url: PostgresURL) throws -> [String: String] {
        let result = try PostgresConnection(url: url).query("""
            SELECT prediction_id, predicted_points, is_active::text || '|' || (extras->>'note') || '|' ||
                   to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            FROM player_prop_predictions WHERE game_date = $1::date
            """, [Self.date.description], operation: "reading the table")
        return Dictionary(uniqueKeysWithValues: (0..<result.rowCount).map { row in
            (result.text(row, 0), "\(result.number(row, 1) ?? .nan)|\(result.text(row, 2))")
        })
    }

    /// What the table must hold for the journal in `directory`.
    private func expected(_ directory: String) throws -> [String: String] {
        let contents = try JournalReader.read(path: JournalDirectory(directory).journalPath(for: Self.date), date: Self.date)
        var rows: [String: String] = [:]
        for record in contents.records {
            guard case .prediction(let row) = record.entry else { continue }
            let active = !contents.index.supersededIDs.contains(row.predictionID)
            rows[row.predictionID.description] = "\(row.predictedPoints)|\(active)|q\"x\t|\(record.timestamp)"
        }
        return rows
    }

    private func export(_ directory: String, _ url: PostgresURL) throws -> PostgresPredictionTable.ExportSummary {
        let done = try PostgresExport(directory: JournalDirectory(directory), url: url).run(dates: [Self.date])
        return try #require(done.first).summary
    }

    @Test func theTableFollowsTheJournalAndReRunsChangeNothing() async throws {
        let database = try PostgresTestServer.makeDatabase(schema: false)
        let directory = try TemporaryDirectory(prefix: "pg-export")
        defer { database.drop(); directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: Self.date)
        _ = try await writer.appendPredictions(Self.rows(players: 0..<40))
        let first = try export(directory.path, database.url)
        #expect(first.inserted == 400 && first.updated == 0 && first.deactivated == 0)
        #expect(try table(database.url) == expected(directory.path))

        let again = try export(directory.path, database.url)
        #expect(again.description.hasPrefix("nothing new"))
        let versions = try PostgresConnection(url: database.url).query("SELECT sum(xmin::text::bigint) FROM player_prop_predictions",
                                                                        operation: "row versions").text(0, 0)

        // New players, and five earlier predictions withdrawn.
        let withdrawn = Array(Self.rows(players: 0..<1).prefix(5).map(\.predictionID))
        _ = try await writer.appendPredictions(Self.rows(players: 40..<50))
        _ = try await writer.append(.superseded(.init(predictionIDs: withdrawn, player: PlayerLookup("player0"), reason: "inputs_changed")))
        await writer.close()
        let third = try export(directory.path, database.url)
        #expect(third.inserted == 100 && third.deactivated == 5)
        let rows = try table(database.url)
        #expect(rows == (try expected(directory.path)))
        #expect(rows.count == 500)
        #expect(rows.filter { $0.value.contains("|false|") }.keys.sorted() == withdrawn.map(\.description).sorted())
        let unchanged = try PostgresConnection(url: database.url).query("""
            SELECT count(*) FROM player_prop_predictions WHERE xmin::text::bigint < (SELECT min(xmin::text::bigint) FROM
                player_prop_predictions WHERE player_lookup = 'player45')
            """, operation: "rows untouched by the third export").text(0, 0)
        #expect(unchanged == "395", "the third export rewrote only the withdrawn rows (versions before: \(versions))")
        #expect(try export(directory.path, database.url).description.hasPrefix("nothing new"))
    }

    /// The journal's last state of each id, folded here record by record: id → (points, active, note, created_at).
    private func folded(_ directory: String) throws -> [String: String] {
        let contents = try JournalReader.read(path: JournalDirectory(directory).journalPath(for: Self.date), date: Self.date)
        var rows: [String: (row: PredictionRow, timestamp: String, active: Bool)] = [:]
        for record in contents.records {
            switch record.entry {
            case .prediction(let row): rows[row.predictionID.description] = (row, record.timestamp, true)
            case .superseded(let withdrawn): for id in withdrawn.predictionIDs { rows[id.description]?.active = false }
            default: break
            }
        }
        return rows.mapValues { "\($0.row.predictedPoints)|\($0.active)|q\"x\t|\($0.timestamp)" }
    }

    @Test func aFirstExportStreamsAndStillEndsAtTheJournalsLastStateOfEachID() async throws {
        let database = try PostgresTestServer.makeDatabase(schema: false)
        let directory = try TemporaryDirectory(prefix: "pg-export-first")
        defer { database.drop(); directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: Self.date)
        _ = try await writer.appendPredictions(Self.rows(players: 0..<20))
        let player0 = Self.rows(players: 0..<1)
        let withdrawn = Array(player0.prefix(5))
        _ = try await writer.append(.superseded(.init(predictionIDs: withdrawn.map(\.predictionID), player: PlayerLookup("player0"),
                                                      reason: "inputs_changed")))
        try await Task.sleep(for: .milliseconds(5))  // a later created_at for the ids journaled again
        _ = try await writer.appendPredictions(Array(withdrawn.prefix(2)))
        await writer.close()

        let first = try export(directory.path, database.url)
        #expect(first.inserted == 200 && first.updated == 0 && first.deactivated == 3, "\(first)")
        let rows = try table(database.url)
        #expect(rows == (try folded(directory.path)))
        #expect(rows.filter { $0.value.contains("|false|") }.count == 3)
        #expect(try export(directory.path, database.url).description.hasPrefix("nothing new"))
    }

    @Test func aJournalCorruptPastRowsAlreadyStreamedExportsNothing() async throws {
        let database = try PostgresTestServer.makeDatabase(schema: false)
        let directory = try TemporaryDirectory(prefix: "pg-export-corrupt")
        defer { database.drop(); directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: Self.date)
        _ = try await writer.appendPredictions(Self.rows(players: 0..<30))
        await writer.close()
        let path = JournalDirectory(directory.path).journalPath(for: Self.date)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let lineStarts = [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        bytes[lineStarts[250] + 40] ^= 0x01  // line 251 of 300 fails its CRC, with lines after it
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: BatchError.self) { try export(directory.path, database.url) }
        #expect(error?.description.contains("nothing of this date was exported") == true, "\(String(describing: error))")
        #expect(try table(database.url).isEmpty, "the 250 rows streamed before line 251 were rolled back")
        #expect(try PostgresPredictionTable.exportedSeqs(PostgresConnection(url: database.url)).isEmpty)
    }

    @Test func aDifferentJournalForAnExportedDateIsRefused() async throws {
        let database = try PostgresTestServer.makeDatabase(schema: false)
        let first = try TemporaryDirectory(prefix: "pg-export-a"), second = try TemporaryDirectory(prefix: "pg-export-b")
        defer { database.drop(); first.remove(); second.remove() }
        for (directory, players) in [(first, 0..<3), (second, 5..<9)] {
            let writer = try await JournalWriter.open(directory: directory.path, date: Self.date)
            _ = try await writer.appendPredictions(Self.rows(players: players))
            await writer.close()
        }
        _ = try export(first.path, database.url)
        let error = #expect(throws: StoreError.self) { try export(second.path, database.url) }
        #expect(error?.description.contains("is not the one exported up to seq 30") == true)
        #expect(try table(database.url) == expected(first.path))
    }

    @Test func aKillDuringTheCopyLeavesTheTableAsItWasAndAReRunGivesTheExactRows() async throws {
        let database = try PostgresTestServer.makeDatabase(schema: false)
        let directory = try TemporaryDirectory(prefix: "pg-export-kill")
        defer { database.drop(); directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: Self.date)
        for start in stride(from: 0, to: 6_000, by: 1_000) {
            _ = try await writer.appendPredictions(Self.rows(players: start..<(start + 1_000), lines: 2))
        }
        await writer.close()
        let arguments = ["journal", "export", "--journal-dir", directory.path, "--date", "\(Self.date)",
                         "--postgres", database.url.text]
        let exporter = try TestProcess(try PropcastExecutable.path(), arguments)
        let monitor = try PostgresConnection(url: database.url)
        var sawCopy = false
        let deadline = ContinuousClock.now + .seconds(120)
        while !sawCopy, exporter.isRunning, ContinuousClock.now < deadline {
            let active = try monitor.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
                  AND query LIKE 'COPY player_prop_predictions%'
                """, operation: "watching the export").text(0, 0)
            sawCopy = active != "0"
            if !sawCopy { try await Task.sleep(for: .milliseconds(2)) }
        }
        #expect(sawCopy, "the exporter was seen in its COPY")
        exporter.signal(SIGKILL)
        let status = try await exporter.waitForExit(timeout: .seconds(30))
        #expect(status == SIGKILL, "killed, not finished")
        #expect(try table(database.url).isEmpty, "the killed export left no rows")
        #expect(try PostgresPredictionTable.exportedSeqs(monitor).isEmpty)

        let rerun = try await TestProcess.run(try PropcastExecutable.path(), arguments, timeout: .seconds(300))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("60000 inserted"))
        let rows = try table(database.url)
        #expect(rows.count == 60_000)
        #expect(rows == (try expected(directory.path)))
        #expect(try PostgresPredictionTable.exportedSeqs(monitor) == [Self.date: 60_000])
    }
}
