import Foundation
import Synchronization
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

    // While a group's sync runs (held here until the others queued), every append that
    // arrives waits for the next group: 32 concurrent appends take two syncs, not 32.
    @Test func appendsArrivingDuringASyncShareTheNextOne() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let gate = SyncGate()
        var configuration = JournalConfiguration(maxSyncsInFlight: 1)
        configuration.beforeSync = { gate.holdFirst() }
        let writer = try await JournalWriter.open(directory: directory.path, date: date, configuration: configuration)
        let rows = JournalFixtures.rows(players: 64).prefix(32)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await writer.appendPredictions([rows.first!]) }
            try await gate.waitUntilHeld()
            for row in rows.dropFirst() {
                group.addTask { _ = try await writer.appendPredictions([row]) }
            }
            while writer.committer.pendingRecords < rows.count - 1 { try await Task.sleep(for: .milliseconds(5)) }
            gate.release()
            try await group.waitForAll()
        }
        let statistics = await writer.statistics
        await writer.close()
        #expect(statistics.records == 32)
        #expect(statistics.syncs == 2, "\(statistics.syncs) syncs for 32 records")
        #expect(statistics.groups == 2)
        let contents = try JournalReader.read(path: writer.path, date: date)
        #expect(Set(contents.records.compactMap(\.entry.predictionID)) == Set(rows.map(\.predictionID)))
        #expect(contents.records.map(\.seq) == Array(1...32))
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

/// Holds the first journal sync on its I/O thread until the test releases it.
private final class SyncGate: Sendable {
    private let held = Mutex(false)
    private let opened = DispatchSemaphore(value: 0)

    /// On the I/O thread: the first call blocks until ``release()``.
    func holdFirst() {
        let first = held.withLock { wasHeld in defer { wasHeld = true }; return !wasHeld }
        if first { opened.wait() }
    }

    func waitUntilHeld() async throws {
        while !held.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
    }

    func release() { opened.signal() }
}
