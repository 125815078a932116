import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

/// Torn tails are cut on open; damage anywhere else is refused and named.
struct JournalRecoveryTests {
    private let date = JournalFixtures.date

    @Test func everyTruncationInsideTheLastRecordReopensCuttingExactlyThatRecord() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        let lines = JournalFixtures.lines(bytes)
        let intact = JournalFixtures.joined(Array(lines.dropLast()))
        for cut in 1...lines.last!.count {  // the last record without its newline is still torn
            try JournalFixtures.write(Array(bytes[0..<(intact.count + cut)]), to: path)
            let writer = try await JournalWriter.open(directory: directory.path, date: date)
            #expect(writer.openReport.cutTail?.line == lines.count, "cut at \(cut)")
            #expect(writer.openReport.cutByteCount == cut)
            #expect(writer.openReport.lastSeq == UInt64(lines.count - 1))
            await writer.close()
            #expect(try JournalFixtures.bytes(of: path) == intact, "cut at \(cut)")
            guard case .clean = try JournalReader.read(path: path, date: date).verdict else {
                Issue.record("does not verify after cutting at \(cut)"); continue
            }
        }
    }

    @Test func aCutTornTailIsReplacedByTheNextAppendWithTheSameSeq() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        try JournalFixtures.write(Array(bytes.dropLast(10)), to: path)
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        let outcome = try await writer.append(.playerSkipped(.init(player: "late", reasons: ["x"])))
        #expect(outcome == .written(seq: UInt64(JournalFixtures.mixedEntries().count)))
        await writer.close()
        guard case .clean = try JournalReader.read(path: path, date: date).verdict else { Issue.record("not clean"); return }
    }

    @Test func corruptionBeforeTheEndMakesOpenFailWithTheLineNumberAndLeavesTheFileAlone() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        var damaged = JournalFixtures.lines(bytes)
        damaged[3][40] ^= 0x04
        try JournalFixtures.write(JournalFixtures.joined(damaged), to: path)
        do {
            _ = try await JournalWriter.open(directory: directory.path, date: date)
            Issue.record("opened a corrupt journal")
        } catch let JournalError.corrupt(_, defect) {
            #expect(defect.line == 4)
            #expect("\(JournalError.corrupt(path: path, defect: defect))".contains("line 4: CRC mismatch"))
        }
        #expect(try JournalFixtures.bytes(of: path) == JournalFixtures.joined(damaged))
        // The failed open released the lock: a later open reports the same corruption, not "running".
        await #expect(throws: JournalError.self) { try await JournalWriter.open(directory: directory.path, date: date) }
    }

    @Test func lastTwoLinesRunTogetherAreCorruptionNotATornTail() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        var lines = JournalFixtures.lines(bytes)
        let last = lines.removeLast()
        lines[lines.count - 1] += last
        try JournalFixtures.write(JournalFixtures.joined(lines), to: path)
        await #expect {
            try await JournalWriter.open(directory: directory.path, date: date)
        } throws: { error in
            guard case JournalError.corrupt(_, let defect) = error else { return false }
            return defect.line == lines.count
        }
    }

    @Test func changingAnyOneByteIsDetectedAtItsLine() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let lineOfByte = lineNumbers(bytes)
        for offset in bytes.indices {
            for flip: UInt8 in [0x01, 0x20] {
                var tampered = bytes
                tampered[offset] ^= flip
                #expect(failingLine(JournalFixtures.verdict(tampered)) == lineOfByte[offset],
                        "byte \(offset) ^ \(flip)")
            }
        }
    }

    @Test func deletingAnyLineButTheLastIsDetectedAtItsPosition() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let lines = JournalFixtures.lines(bytes)
        // Dropping the final line leaves a shorter valid journal; JOURNAL.md says how to pin the head.
        for removed in 0..<(lines.count - 1) {
            var shorter = lines
            shorter.remove(at: removed)
            #expect(failingLine(JournalFixtures.verdict(JournalFixtures.joined(shorter))) == removed + 1)
        }
    }

    @Test func swappingAnyTwoLinesIsDetectedAtTheFirstOfThem() async throws {
        let (directory, bytes) = try await JournalFixtures.journal(JournalFixtures.mixedEntries())
        defer { directory.remove() }
        let lines = JournalFixtures.lines(bytes)
        for first in lines.indices {
            for second in lines.indices where second > first {
                var swapped = lines
                swapped.swapAt(first, second)
                #expect(failingLine(JournalFixtures.verdict(JournalFixtures.joined(swapped))) == first + 1,
                        "swap \(first + 1) and \(second + 1)")
            }
        }
    }

    /// The line a verdict blames, or nil when it is clean.
    private func failingLine(_ verdict: JournalScanner.Verdict) -> Int? {
        switch verdict {
        case .clean: nil
        case .tornTail(_, let torn): torn.line
        case .corrupt(let defect): defect.line
        }
    }

    /// The 1-based line each byte belongs to (a newline belongs to the line it ends).
    private func lineNumbers(_ bytes: [UInt8]) -> [Int] {
        var line = 1
        return bytes.map { byte in
            defer { if byte == UInt8(ascii: "\n") { line += 1 } }
            return line
        }
    }
}
