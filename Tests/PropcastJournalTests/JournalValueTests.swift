import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

/// The journal contract's values (JournalValueRules): a line that breaks one is damage named by
/// line, and the auditor's tools say so instead of trapping (the reproduction of issue 14).
@Suite struct JournalValueTests {
    /// The fixture journal with line `number` (1-based) edited by `edit` and its CRC recomputed,
    /// as a careful forger — or a lying worker — would leave it.
    /// `lineNumber` nil: the first line `edit` changes.
    static func forged(lineNumber: Int?, _ edit: (String) -> String) async throws -> (TemporaryDirectory, String) {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.rows(players: 3).map(JournalEntry.prediction))
        var lines = JournalFixtures.lines(bytes)
        let text = { (index: Int) in String(decoding: lines[index].dropFirst(9), as: UTF8.self) }
        let number = lineNumber ?? (1...lines.count).first { edit(text($0 - 1)) != text($0 - 1) } ?? 1
        let json = edit(text(number - 1))
        lines[number - 1] = Array((String(format: "%08x", CRC32C.checksum(json)) + " " + json).utf8)
        let path = JournalDirectory(directory.path).journalPath(for: JournalFixtures.date)
        try JournalFixtures.write(JournalFixtures.joined(lines), to: path)
        return (directory, path)
    }

    static func replacing(_ pattern: String, with replacement: String) -> (String) -> String {
        { $0.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression) }
    }

    @Test func aPredictionOfTenToTheTwentyPointsIsNamedAndNoToolTraps() async throws {
        let lineCount = 3 * SystemID.all.count * 2
        let (directory, _) = try await Self.forged(lineNumber: lineCount,
                                                   Self.replacing("\"predicted_points\":[0-9.e+-]+", with: "\"predicted_points\":1e20"))
        defer { directory.remove() }
        let binary = try PropcastExecutable.path()
        let common = ["--date", JournalFixtures.date.description, "--journal-dir", directory.path]
        let verify = try await SpawnedProcess.run(binary, ["journal", "verify"] + common)
        #expect(verify.status == 7, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("line \(lineCount): record does not match the schema: predicted_points 1e+20 is outside 0–60"),
                "\(verify.stdout)")
        let tail = try await SpawnedProcess.run(binary, ["journal", "tail", "-n", "3"] + common)
        #expect(tail.status == 7, "a trap is 132 or 133: \(tail.status) \(tail.stderr)")
        #expect(tail.stderr.contains("line \(lineCount)") && tail.stderr.contains("predicted_points"), "\(tail.stderr)")
        #expect(tail.stdout.split(separator: "\n").count == 3, "the records before it are printed: \(tail.stdout)")
    }

    @Test(arguments: [
        ("\"confidence_score\":[0-9.e+-]+", "\"confidence_score\":150", "confidence_score 150.0 is outside 0–100"),
        ("\"predicted_points\":[0-9.e+-]+", "\"predicted_points\":-1", "predicted_points -1.0 is outside 0–60"),
        ("\"line_value\":[0-9.e+-]+", "\"line_value\":-3", "line_value -3.0 is outside 0–100"),
        ("\"recommendation\":\"[A-Z]+\"", "\"recommendation\":\"MAYBE\"", "recommendation"),
    ])
    func valuesOutsideTheContractAreDamage(_ pattern: String, _ replacement: String, _ named: String) async throws {
        let (directory, path) = try await Self.forged(lineNumber: nil, Self.replacing(pattern, with: replacement))
        defer { directory.remove() }
        guard case .corrupt(let defect) = JournalFixtures.verdict(try JournalFixtures.bytes(of: path)) else {
            Issue.record("\(replacement) was accepted")
            return
        }
        #expect(defect.description.contains(named), "\(defect)")
    }

    @Test func aRecordDatedBeforeThePreviousOneIsDamage() async throws {
        let (directory, path) = try await Self.forged(lineNumber: 2, Self.replacing("\"ts\":\"[0-9T:.Z-]+\"",
                                                                                 with: "\"ts\":\"2001-01-01T00:00:00.000Z\""))
        defer { directory.remove() }
        guard case .corrupt(let defect) = JournalFixtures.verdict(try JournalFixtures.bytes(of: path)) else {
            Issue.record("a timestamp going back was accepted")
            return
        }
        #expect(defect.line == 2 && defect.description.contains("is before the previous record's"), "\(defect)")
    }

    @Test func theWriterNeverGoesBackInTimeWhenTheClockDoes() async throws {
        // The last record stamped in the future stands for a clock that was stepped back since.
        let lineCount = 3 * SystemID.all.count * 2
        let (directory, path) = try await Self.forged(lineNumber: lineCount, Self.replacing("\"ts\":\"[0-9T:.Z-]+\"",
                                                                                        with: "\"ts\":\"2099-01-01T00:00:00.000Z\""))
        defer { directory.remove() }
        let writer = try await JournalWriter.open(directory: directory.path, date: JournalFixtures.date)
        _ = try await writer.appendPredictions([JournalFixtures.row(player: "later")])
        await writer.close()
        let contents = try JournalReader.read(path: path, date: JournalFixtures.date)
        #expect(contents.records.count == lineCount + 1)
        #expect(contents.records.last?.timestamp == "2099-01-01T00:00:00.000Z")
    }
}
