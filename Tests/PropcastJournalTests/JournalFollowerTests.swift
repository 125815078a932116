import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

struct JournalFollowerTests {
    private let date = JournalFixtures.date

    private func records(_ events: [JournalFollower.Event]) -> [UInt64] {
        events.compactMap { event in
            if case .record(let record, _) = event { return record.seq }
            return nil
        }
    }

    @Test func followsAJournalCreatedAfterItStartedAndReturnsEachRecordOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "journal-follow")
        defer { directory.remove() }
        var follower = JournalFollower(path: JournalDirectory(directory.path).journalPath(for: date), date: date)
        #expect(try follower.poll().isEmpty)
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        _ = try await writer.append(Array(JournalFixtures.mixedEntries().prefix(3)))
        #expect(records(try follower.poll()) == [1, 2, 3])
        #expect(try follower.poll().isEmpty)
        _ = try await writer.append(Array(JournalFixtures.mixedEntries().suffix(2)))
        let events = try follower.poll()
        #expect(records(events) == [4, 5])
        if case .record(let record, let json) = events.first {
            #expect(json.hasPrefix("{\"seq\":4,\"prev\":\""))
            #expect(record.entry == JournalFixtures.mixedEntries()[5])
        }
        await writer.close()
    }

    @Test func readsAfreshWhenAPartialLastLineIsCutAndOverwritten() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        try JournalFixtures.write(bytes + Array("0badc0de {\"seq\":8,".utf8), to: path)
        var follower = JournalFixtures.follower(path)
        #expect(records(try follower.poll()) == Array(1...7))
        let writer = try await JournalWriter.open(directory: directory.path, date: date)  // cuts the partial line
        _ = try await writer.append(.playerSkipped(.init(player: "late", reasons: ["x"])))
        await writer.close()
        #expect(records(try follower.poll()) == [8])
    }

    @Test func restartsWithoutRepeatsWhenTheFileShrinks() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        var follower = JournalFixtures.follower(path)
        #expect(records(try follower.poll()) == Array(1...7))
        let lines = JournalFixtures.lines(bytes)
        try JournalFixtures.write(JournalFixtures.joined(Array(lines.prefix(3))), to: path)
        let events = try follower.poll()
        #expect(events.contains { if case .restarted = $0 { true } else { false } })
        #expect(records(events).isEmpty)
        try JournalFixtures.write(bytes, to: path)
        #expect(records(try follower.poll()).isEmpty)
    }

    @Test func aBadLastLineIsReportedOnceAsSuspectAndBecomesCorruptionWhenLinesFollow() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        var lines = JournalFixtures.lines(bytes)
        lines[6][30] ^= 0x01
        try JournalFixtures.write(JournalFixtures.joined(Array(lines.prefix(7))), to: path)
        var follower = JournalFixtures.follower(path)
        let first = try follower.poll()
        #expect(records(first) == Array(1...6))
        guard case .suspect(let suspect) = first.last else { Issue.record("\(first)"); return }
        #expect(suspect.line == 7)
        #expect(first.filter { if case .suspect = $0 { true } else { false } }.count == 1)
        #expect(try follower.poll().isEmpty)
        try JournalFixtures.write(JournalFixtures.joined(lines + [lines[6]]), to: path)
        guard case .corrupt(let defect) = try follower.poll().last else { Issue.record("no corruption"); return }
        #expect(defect.line == 7)
    }

    @Test func reportsCorruptionWithTheLineAndStops() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        var lines = JournalFixtures.lines(bytes)
        lines.swapAt(2, 4)
        try JournalFixtures.write(JournalFixtures.joined(lines), to: path)
        var follower = JournalFixtures.follower(path)
        let events = try follower.poll()
        #expect(records(events) == [1, 2])
        guard case .corrupt(let defect) = events.last else { Issue.record("\(events)"); return }
        #expect(defect.line == 3)
        #expect(follower.stopped)
    }
}

extension JournalFixtures {
    static func follower(_ path: String) -> JournalFollower { JournalFollower(path: path, date: date) }
}
