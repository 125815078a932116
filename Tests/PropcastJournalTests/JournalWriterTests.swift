import Foundation
@testable import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

struct JournalWriterTests {
    private let date = JournalFixtures.date

    @Test func appendedRecordsReadBackEqualWithContinuousSeq() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let contents = JournalReader.scan(bytes: bytes, path: "j", date: date)
        #expect(contents.records.map(\.entry) == JournalFixtures.mixedEntries())
        #expect(contents.records.map(\.seq) == Array(1...UInt64(JournalFixtures.mixedEntries().count)))
        guard case .clean = contents.verdict else { Issue.record("\(contents.verdict)"); return }
    }

    @Test func predictionFastPathEncodesLikeJSONEncoderAndDecodesToTheSameRow() throws {
        for row in [JournalFixtures.row(player: "a\u{1}\"\\/é"), JournalFixtures.row(player: "b", line: nil, predicted: 1e-7)] {
            let fast = try JournalLine.encodePredictionPayload(row, dateText: row.gameDate.description)
            #expect(fast == (try JournalLine.encodePayload(.prediction(row))))
        }
    }

    @Test func derivedIDMatchesPredictionIDInitializer() {
        for row in JournalFixtures.rows(players: 3) + [JournalFixtures.row(player: "x", line: nil)] {
            #expect(PredictionID(deriving: row, gameDateText: "2025-01-15") == row.predictionID)
            var other = row
            other.inputFingerprint = InputFingerprint(hex: String(repeating: "0", count: 64))
            #expect(PredictionID(deriving: other, gameDateText: "2025-01-15") != row.predictionID)
        }
    }

    @Test func reopeningContinuesWithTheNextSeqAndKeepsTheIndex() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let first = try await JournalWriter.open(directory: directory.path, date: date)
        #expect(first.openReport.created)
        let rows = JournalFixtures.rows(players: 2)
        _ = try await first.appendPredictions(rows)
        await first.close()

        let second = try await JournalWriter.open(directory: directory.path, date: date)
        #expect(second.openReport.lastSeq == UInt64(rows.count))
        #expect(second.openReport.cutTail == nil)
        let index = await second.index
        #expect(rows.allSatisfy { index.isCurrent($0.predictionID) })
        let outcome = try await second.append(.playerSkipped(.init(player: "z", reasons: ["no line"])))
        #expect(outcome == .written(seq: UInt64(rows.count) + 1))
        await second.close()
    }

    @Test func appendingTheSamePredictionsTwiceWritesThemOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let rows = JournalFixtures.rows(players: 3)
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        let first = try await writer.appendPredictions(rows)
        let second = try await writer.appendPredictions(rows)
        #expect(first.allSatisfy { $0.seq != nil })
        #expect(second == rows.map { .alreadyJournaled($0.predictionID) })
        await writer.close()

        let reopened = try await JournalWriter.open(directory: directory.path, date: date)
        #expect(try await reopened.appendPredictions(rows) == rows.map { .alreadyJournaled($0.predictionID) })
        await reopened.close()
        try expectEachPredictionOnce(rows, in: directory)
    }

    @Test func concurrentTasksAppendingTheSamePredictionsLeaveOneCopyEach() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let rows = JournalFixtures.rows(players: 6)
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        let outcomes = try await withThrowingTaskGroup(of: [AppendOutcome].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var all: [AppendOutcome] = []
                    for chunk in stride(from: 0, to: rows.count, by: 5) {
                        let part = Array(rows[chunk..<min(chunk + 5, rows.count)])
                        all += try await writer.appendPredictions(task % 2 == 0 ? part : part.reversed())
                    }
                    return all
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await writer.close()
        #expect(outcomes.filter { $0.seq != nil }.count == rows.count)
        #expect(outcomes.count == rows.count * 8)
        try expectEachPredictionOnce(rows, in: directory)
    }

    @Test func aDuplicateOfARecordInFlightReturnsOnlyOnceItIsDurable() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let row = JournalFixtures.row(player: "solo")
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        async let first = writer.appendPredictions([row])
        async let second = writer.appendPredictions([row])
        let both = try await [first, second]
        #expect(Set(both.flatMap { $0 }) == [.written(seq: 1), .alreadyJournaled(row.predictionID)])
        // Whichever call returned, the record is durable: the index only holds durable ids.
        #expect(await writer.index.isCurrent(row.predictionID))
        await writer.close()
    }

    // 32 appenders released at once, one sync in flight: appends that arrive while a write +
    // fsync runs must share the next one. Whether a given burst overlaps depends on the
    // scheduler (a very fast fsync can finish before the next append arrives), so the test
    // fires up to 20 bursts and requires sharing in at least one — and exact, gap-free
    // records in all of them.
    @Test func concurrentAppendsShareGroupCommits() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: date,
                                                  configuration: .init(maxSyncsInFlight: 1))
        let rows = JournalFixtures.rows(players: 64)
        var shared = false
        var written = 0
        for burst in 0..<20 where !shared {
            let before = await writer.statistics
            let burstRows = Array(rows[(burst * 32) % rows.count..<min(rows.count, (burst * 32) % rows.count + 32)])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for row in burstRows {
                    group.addTask { _ = try await writer.appendPredictions([row]) }
                }
                try await group.waitForAll()
            }
            let after = await writer.statistics
            written += burstRows.count
            shared = after.syncs - before.syncs < after.records - before.records
            #expect(after.syncs == after.groups)
        }
        let statistics = await writer.statistics
        await writer.close()
        #expect(shared, "no burst shared an fsync: \(statistics.syncs) syncs for \(statistics.records) records")
        let contents = try JournalReader.read(path: writer.path, date: date)
        #expect(contents.records.count == Set(rows.prefix(written).map(\.predictionID)).count)
        #expect(contents.records.map(\.seq) == Array(1...UInt64(contents.records.count)))
        guard case .clean = contents.verdict else { Issue.record("\(contents.verdict)"); return }
    }

    @Test func durabilityNoneStillWritesEveryRecordInOrder() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: date,
                                                  configuration: .init(durability: .none))
        let rows = JournalFixtures.rows(players: 4)
        _ = try await writer.appendPredictions(rows)
        #expect(await writer.statistics.syncs == 0)
        await writer.close()
        let contents = try JournalReader.read(path: writer.path, date: date)
        #expect(contents.records.compactMap(\.entry.predictionID) == rows.map(\.predictionID))
    }

    @Test func supersededPredictionCanBeJournaledAgainAndThenIsADuplicateAgain() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let row = JournalFixtures.row(player: "p")
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        #expect(try await writer.appendPredictions([row]) == [.written(seq: 1)])
        _ = try await writer.append(.superseded(.init(predictionIDs: [row.predictionID], player: "p", reason: "line_withdrawn")))
        #expect(await !writer.index.isCurrent(row.predictionID))
        // The line is offered again: the same id is written again and is current once more.
        #expect(try await writer.appendPredictions([row]) == [.written(seq: 3)])
        #expect(try await writer.appendPredictions([row]) == [.alreadyJournaled(row.predictionID)])
        await writer.close()
        let reread = try JournalReader.read(path: JournalDirectory(directory.path).journalPath(for: date), date: date)
        guard case .clean = reread.verdict else { Issue.record("\(reread.verdict)"); return }
        #expect(reread.index.isCurrent(row.predictionID))
        #expect(reread.index.currentRows["p"]?.count == 1)
    }

    @Test func recordsOfAnotherDateOrWithForeignIDsAreRefusedAndNothingIsWritten() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        var foreign = JournalFixtures.row(player: "a")
        foreign.predictionID = JournalFixtures.row(player: "b").predictionID
        let good = JournalFixtures.row(player: "c")
        await #expect(throws: JournalError.self) { try await writer.appendPredictions([good, foreign]) }
        await #expect(throws: JournalError.self) {
            try await writer.appendPredictions([JournalFixtures.row(player: "d", date: GameDate("2025-01-16")!)])
        }
        await #expect(throws: JournalError.self) {
            try await writer.appendPredictions([JournalFixtures.row(player: "e", predicted: .nan)])
        }
        #expect(await writer.lastSeq == 0)
        await writer.close()
    }

    @Test func appendAfterCloseThrowsClosed() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        await writer.close()
        await #expect {
            try await writer.append(.playerSkipped(.init(player: "a", reasons: []))) } throws: { error in
            guard case JournalError.closed = error else { return false }
            return true
        }
    }

    private func expectEachPredictionOnce(_ rows: [PredictionRow], in directory: TemporaryDirectory) throws {
        let contents = try JournalReader.read(path: JournalDirectory(directory.path).journalPath(for: date), date: date)
        guard case .clean = contents.verdict else { Issue.record("\(contents.verdict)"); return }
        let written = contents.records.compactMap(\.entry.predictionID)
        #expect(written.count == rows.count)
        #expect(Set(written) == Set(rows.map(\.predictionID)))
    }
}
