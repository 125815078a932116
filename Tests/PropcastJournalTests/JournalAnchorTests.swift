import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

/// Audit anchors: `journal verify` recomputes `batch_finished` and checks a recorded head.
@Suite(.realProcesses) struct JournalAnchorTests {
    let date = JournalFixtures.date
    let binary = { try PropcastExecutable.path() }

    func verify(_ directory: TemporaryDirectory, _ extra: [String] = []) async throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try await SpawnedProcess.run(try binary(), ["journal", "verify", "--journal-dir", directory.path,
                                                           "--date", "\(date)"] + extra)
        return (result.status, result.stdout, result.stderr)
    }

    /// The head `verify` prints: `head seq N sha256 H`.
    func head(_ output: String) throws -> String {
        let words = output.split(separator: " ")
        let seq = try #require(words.firstIndex(of: "seq"))
        return "\(words[seq + 1]):\(words[seq + 3].trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    @Test func editedBatchFinishedWithARecomputedCRCIsRejected() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        var lines = JournalFixtures.lines(bytes)
        // Claim 40 predictions instead of 1 and fix up the CRC, as a careful forger would.
        let json = String(decoding: lines[6].dropFirst(9), as: UTF8.self)
            .replacingOccurrences(of: "\"predictions\":1}", with: "\"predictions\":40}")
        #expect(json.contains("\"predictions\":40}"))
        lines[6] = Array((String(format: "%08x", CRC32C.checksum(json)) + " " + json).utf8)
        try JournalFixtures.write(JournalFixtures.joined(lines), to: JournalDirectory(directory.path).journalPath(for: date))
        let result = try await verify(directory)
        #expect(result.status == 7, "a damaged journal")
        #expect(result.stdout.contains("line 7: batch_finished counts do not match the records before it: predictions 40, "
                                       + "journal has 1 current"), "\(result.stdout)")
    }

    @Test func expectHeadCatchesRemovedLastLinesAndRewrites() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let first = try await verify(directory)
        #expect(first.status == 0)
        let anchor = try head(first.stdout)
        #expect(anchor.hasPrefix("7:"))
        let same = try await verify(directory, ["--expect-head", anchor])
        #expect(same.status == 0, "\(same.stdout)")
        #expect(same.stdout.contains("expected head seq 7 sha256"), "\(same.stdout)")

        // The last two lines deleted: still a valid, shorter journal, but not the recorded one.
        let path = JournalDirectory(directory.path).journalPath(for: date)
        try JournalFixtures.write(JournalFixtures.joined(Array(JournalFixtures.lines(bytes).dropLast(2))), to: path)
        #expect(try await verify(directory).status == 0, "a cut at a line boundary alone is undetectable")
        let cut = try await verify(directory, ["--expect-head", anchor])
        #expect(cut.status == 7)
        #expect(cut.stdout.contains("expected head seq 7 but the journal ends before it"), "\(cut.stdout)")

        // Rewritten from scratch, valid and as long, with one reason changed.
        let forged = JournalFixtures.mixedEntries().map { entry -> JournalEntry in
            guard case .playerSkipped(var skip) = entry else { return entry }
            skip.reasons = ["injured"]
            return .playerSkipped(skip)
        }
        let (other, _) = try await JournalFixtures.journal(forged)
        defer { other.remove() }
        let rewritten = try await SpawnedProcess.run(try binary(), ["journal", "verify", "--journal-dir", other.path,
                                                              "--date", "\(date)", "--expect-head", anchor])
        #expect(rewritten.status == 7, "\(rewritten.stdout)")
        #expect(rewritten.stdout.contains("line seq 7 has sha256"), "\(rewritten.stdout)")
    }

    @Test func malformedExpectHeadIsAUsageError() async throws {
        let (directory, _) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let result = try await verify(directory, ["--expect-head", "7:xyz"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--expect-head '7:xyz' is not SEQ:SHA256"), "\(result.stderr)")
    }
}
