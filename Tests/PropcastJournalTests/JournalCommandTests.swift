import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

/// `propcast journal tail|verify|export` run as real processes.
struct JournalCommandTests {
    private let date = JournalFixtures.date

    @Test func verifyPrintsASummaryAndExitsZeroForAGoodJournal() async throws {
        let (directory, _) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let result = try await SpawnedProcess.run(try PropcastExecutable.path(),
                                            ["journal", "verify", "--journal-dir", directory.path, "--date", "\(date)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("2025-01-15: OK 7 records, 2 prediction records (1 current), 1 players with predictions, "
                                        + "1 skipped, 1 failed, 1 superseded; batch_finished counts checked"), "\(result.stdout)")
        #expect(result.stdout.contains("head seq 7 sha256 "))
    }

    @Test func verifyExitsOneNamingTheFirstBadLine() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        var lines = JournalFixtures.lines(bytes)
        lines.remove(at: 3)
        try JournalFixtures.write(JournalFixtures.joined(lines), to: JournalDirectory(directory.path).journalPath(for: date))
        let result = try await SpawnedProcess.run(try PropcastExecutable.path(),
                                            ["journal", "verify", "--journal-dir", directory.path, "--all"])
        #expect(result.status == 7, "a damaged journal")
        #expect(result.stdout.contains("FAILED"))
        #expect(result.stdout.contains("line 4: seq 5 where 4 was expected"), "\(result.stdout)")
    }

    @Test func usageErrorsExitTwo() async throws {
        let result = try await SpawnedProcess.run(try PropcastExecutable.path(),
                                            ["journal", "verify", "--journal-dir", "/nonexistent", "--date", "2025-13-40"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--date '2025-13-40' is not YYYY-MM-DD"))
    }

    @Test func tailPrintsTheLastRecordsFilteredByPlayerOrAsRawJSON() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let binary = try PropcastExecutable.path()
        let base = ["journal", "tail", "--journal-dir", directory.path, "--date", "\(date)"]
        let lastTwo = try await SpawnedProcess.run(binary, base + ["-n", "2"])
        #expect(lastTwo.status == 0)
        let shown = lastTwo.stdout.split(separator: "\n")
        #expect(shown.count == 2)
        #expect(shown.first?.hasPrefix("#6 ") == true && shown.first?.contains("superseded alpha 1 predictions") == true)
        let alpha = try await SpawnedProcess.run(binary, base + ["--all", "--player", "alpha", "--system", "xgboost_v1"])
        #expect(alpha.stdout.split(separator: "\n").map { $0.hasPrefix("#3 ") && $0.contains("alpha xgboost_v1 line 24.5 → 26.3 OVER conf 64") } == [true])
        let raw = try await SpawnedProcess.run(binary, base + ["--all", "--json"])
        let expected = JournalFixtures.lines(bytes).map { String(decoding: $0.dropFirst(9), as: UTF8.self) + "\n" }.joined()
        #expect(raw.stdout == expected)
    }

    @Test func tailPrintsTheRecordsBeforeCorruptionAndExitsOneNamingTheLine() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        var lines = JournalFixtures.lines(bytes)
        lines[4][50] ^= 0x01
        try JournalFixtures.write(JournalFixtures.joined(lines), to: JournalDirectory(directory.path).journalPath(for: date))
        let result = try await SpawnedProcess.run(try PropcastExecutable.path(), [
            "journal", "tail", "--journal-dir", directory.path, "--date", "\(date)", "-n", "2",
        ])
        #expect(result.status == 7, "a damaged journal")
        #expect(result.stdout.split(separator: "\n").map { $0.prefix(3) } == ["#3 ", "#4 "])
        #expect(result.stderr.contains("line 5: CRC mismatch"), "\(result.stderr)")
    }

    @Test func tailFollowsAJournalThatDoesNotExistYet() async throws {
        let directory = try TemporaryDirectory(prefix: "journal-tail")
        defer { directory.remove() }
        let follower = try SpawnedProcess(executable: try PropcastExecutable.path(), arguments: [
            "journal", "tail", "--follow", "--journal-dir", directory.path, "--date", "\(date)", "--poll-interval", "20ms",
        ])
        defer { follower.send(SIGKILL) }
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        _ = try await writer.append(.playerSkipped(.init(player: "first", reasons: ["injured"])))
        #expect(try await follower.nextLine(timeout: 60)?.contains("player_skipped first: injured") == true)
        _ = try await writer.append(.playerFailed(.init(player: "second", attempts: 3, lastReason: "timeout")))
        #expect(try await follower.nextLine(timeout: 60)?.contains("player_failed second after 3 attempts: timeout") == true)
        await writer.close()
    }

    @Test func exportTwiceChangesNothingTheSecondTime() async throws {
        let entries = JournalFixtures.rows(players: 2).map(JournalEntry.prediction)
            + JournalFixtures.mixedEntries().filter { $0.type != .batchFinished }
        let (directory, _) = try await JournalFixtures.journal(entries)
        defer { directory.remove() }
        let database = directory.file("out.sqlite")
        let arguments = ["journal", "export", "--journal-dir", directory.path, "--date", "\(date)", "--sqlite", database]
        let first = try await SpawnedProcess.run(try PropcastExecutable.path(), arguments)
        #expect(first.status == 0, "\(first.stderr)")
        // 22 predictions; the superseded xgboost row of alpha is not exported.
        #expect(first.stdout.contains("exported 21 predictions (1 superseded left out) to \(database): 21 inserted, 0 updated, 0 unchanged, 0 removed"),
                "\(first.stdout)")
        let before = try JournalFixtures.bytes(of: database)
        let second = try await SpawnedProcess.run(try PropcastExecutable.path(), arguments)
        #expect(second.stdout.contains("0 inserted, 0 updated, 21 unchanged, 0 removed"), "\(second.stdout)")
        #expect(try JournalFixtures.bytes(of: database) == before)
    }
}
