import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

/// `append(groups:)`: the answers of one request frame, journaled in one commit.
struct JournalGroupAppendTests {
    private let date = JournalFixtures.date

    @Test func groupsAreWrittenTogetherWithOneSyncAndAnInvalidGroupAloneIsRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "journal")
        defer { directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        var foreign = JournalFixtures.row(player: "bad")
        foreign.predictionID = JournalFixtures.row(player: "other").predictionID
        let groups: [[JournalEntry]] = [
            JournalFixtures.rows(players: 1, prefix: "first").map(JournalEntry.prediction),
            [.prediction(JournalFixtures.row(player: "bad2")), .prediction(foreign)],
            JournalFixtures.rows(players: 2, prefix: "third").map(JournalEntry.prediction),
        ]
        let results = await writer.append(groups: groups)
        #expect(results.count == 3)
        guard case .success(let first) = results[0], case .failure(JournalError.invalidEntry(let why)) = results[1],
              case .success(let third) = results[2] else {
            Issue.record("expected success, refusal, success: \(results)")
            return
        }
        #expect(first.count == groups[0].count && third.count == groups[2].count)
        #expect(why.contains("is not the id derived from its fields"), "\(why)")
        let statistics = await writer.statistics
        #expect(statistics.records == UInt64(groups[0].count + groups[2].count), "nothing of the refused group is written")
        #expect(statistics.syncs == 1, "\(statistics.syncs) syncs for one group append")
        // Appending the same groups again writes nothing new.
        let again = await writer.append(groups: [groups[0], groups[2]])
        for result in again {
            guard case .success(let outcomes) = result else { Issue.record("\(result)"); continue }
            #expect(outcomes.allSatisfy { if case .alreadyJournaled = $0 { true } else { false } })
        }
        await writer.close()
        let read = try JournalReader.read(path: JournalDirectory(directory.path).journalPath(for: date), date: date)
        #expect(read.index.currentIDs.count == groups[0].count + groups[2].count)
        if case .clean = read.verdict {} else { Issue.record("journal does not verify: \(read.verdict)") }
    }
}
