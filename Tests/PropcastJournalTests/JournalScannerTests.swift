import PropcastJournal
import PropcastModels
import Testing

/// The recovery scan as a pure state machine: lines in, verdicts out, no files.
struct JournalScannerTests {
    private let date = JournalFixtures.date

    private func sealed(_ entries: [JournalEntry], startingAt first: UInt64 = 1) throws -> [[UInt8]] {
        var prev = JournalLine.genesisHash(for: date)
        var lines: [[UInt8]] = []
        for (offset, entry) in entries.enumerated() {
            let line = JournalLine.seal(seq: first + UInt64(offset), prev: prev, timestamp: "2025-01-15T18:00:00.000Z",
                                        type: entry.type, payload: try JournalLine.encodePayload(entry))
            prev = JournalLine.hash(line)
            lines.append(line)
        }
        return lines
    }

    private func scan(_ lines: [[UInt8]], unterminated: Int = 0) -> (steps: [JournalScanner.Step], verdict: JournalScanner.Verdict) {
        var scanner = JournalScanner(date: date)
        let steps = lines.map { scanner.scan(line: $0[...]) }
        return (steps, scanner.finish(unterminatedByteCount: unterminated))
    }

    @Test func validLinesOfEveryTypeScanClean() throws {
        let lines = try sealed(JournalFixtures.mixedEntries())
        let (steps, verdict) = scan(lines)
        guard case .clean(let position) = verdict else { Issue.record("verdict \(verdict)"); return }
        #expect(position.lastSeq == UInt64(lines.count))
        #expect(position.byteCount == lines.map { $0.count + 1 }.reduce(0, +))
        #expect(position.lastHash == JournalLine.hash(lines.last!))
        let decoded = steps.compactMap { step -> JournalEntry? in
            if case .record(let record) = step { return record.entry }
            return nil
        }
        #expect(decoded == JournalFixtures.mixedEntries())
    }

    @Test func emptyJournalIsCleanAtSeqZero() {
        #expect(scan([]).verdict == .clean(JournalScanPosition(byteCount: 0, lastSeq: 0,
                                                               lastHash: JournalLine.genesisHash(for: date))))
    }

    @Test func bytesAfterTheLastNewlineAreATornTail() throws {
        let lines = try sealed(JournalFixtures.mixedEntries())
        guard case .tornTail(let position, let torn) = scan(lines, unterminated: 17).verdict else {
            Issue.record("not torn"); return
        }
        #expect(position.lastSeq == UInt64(lines.count))
        #expect(torn == JournalDefect(line: lines.count + 1, kind: .unterminated(byteCount: 17)))
    }

    @Test func badCRCOnTheLastLineIsATornTailButInTheMiddleIsCorruption() throws {
        var lines = try sealed(JournalFixtures.mixedEntries())
        lines[lines.count - 1][20] ^= 0x01
        guard case .tornTail(let position, let torn) = scan(lines).verdict else { Issue.record("not torn"); return }
        #expect(position.lastSeq == UInt64(lines.count - 1))
        #expect(torn.line == lines.count)

        var middle = try sealed(JournalFixtures.mixedEntries())
        middle[2][30] ^= 0x01
        let (steps, verdict) = scan(middle)
        guard case .suspect = steps[2], case .corrupt(let defect) = verdict else { Issue.record("\(verdict)"); return }
        #expect(defect.line == 3)
        guard case .crcMismatch = defect.kind else { Issue.record("kind \(defect.kind)"); return }
    }

    @Test func badLastLineFollowedByAnUnterminatedTailIsCorruption() throws {
        var lines = try sealed(JournalFixtures.mixedEntries())
        lines[lines.count - 1][20] ^= 0x01
        guard case .corrupt(let defect) = scan(lines, unterminated: 5).verdict else { Issue.record("not corrupt"); return }
        #expect(defect.line == lines.count)
    }

    @Test func seqGapIsCorruptionNamingTheLine() throws {
        let lines = try sealed(JournalFixtures.mixedEntries())
        let (_, verdict) = scan([lines[0], lines[2]])
        #expect(verdict == .corrupt(JournalDefect(line: 2, kind: .seqOutOfOrder(expected: 2, found: 3))))
    }

    @Test func firstRecordMustChainFromTheDatesGenesisHash() throws {
        let other = GameDate("2025-01-16")!
        let payload = try JournalLine.encodePayload(.playerSkipped(.init(player: "a", reasons: ["r"])))
        let line = JournalLine.seal(seq: 1, prev: JournalLine.genesisHash(for: other),
                                    timestamp: "2025-01-15T18:00:00.000Z", type: .playerSkipped, payload: payload)
        guard case .corrupt(let defect) = scan([line]).verdict, case .chainBroken = defect.kind else {
            Issue.record("journal of another date accepted"); return
        }
        #expect(defect.line == 1)
    }

    @Test func predictionOfAnotherDateIsRejected() throws {
        let lines = try sealed([.prediction(JournalFixtures.row(player: "a", date: GameDate("2025-01-16")!))])
        guard case .corrupt(let defect) = scan(lines).verdict, case .wrongDate = defect.kind else {
            Issue.record("wrong date accepted"); return
        }
    }

    @Test func predictionWhoseIDIsNotDerivedFromItsFieldsIsRejected() throws {
        var row = JournalFixtures.row(player: "a")
        row.predictionID = JournalFixtures.row(player: "b").predictionID
        guard case .corrupt(let defect) = scan(try sealed([.prediction(row)])).verdict,
              case .predictionIDMismatch = defect.kind else { Issue.record("foreign id accepted"); return }
    }

    @Test func recordWithValidCRCButMissingFieldIsASchemaError() {
        let json = Array("{\"seq\":1,\"prev\":\"\(JournalLine.genesisHash(for: date))\",\"ts\":\"2025-01-15T18:00:00.000Z\",\"type\":\"player_failed\",\"player_lookup\":\"a\"}".utf8)
        var line = Array(String(CRC32C.checksum(json), radix: 16).leftPadded(to: 8).utf8)
        line += [UInt8(ascii: " ")] + json
        guard case .corrupt(let defect) = scan([line]).verdict, case .schema(let why) = defect.kind else {
            Issue.record("schema error missed"); return
        }
        #expect(why.contains("attempts"))
    }

    @Test func unknownRecordTypeIsASchemaError() {
        let json = Array("{\"seq\":1,\"prev\":\"\(JournalLine.genesisHash(for: date))\",\"ts\":\"2025-01-15T18:00:00.000Z\",\"type\":\"party\"}".utf8)
        let line = Array(String(CRC32C.checksum(json), radix: 16).leftPadded(to: 8).utf8) + [UInt8(ascii: " ")] + json
        guard case .corrupt(let defect) = scan([line]).verdict, case .schema(let why) = defect.kind else {
            Issue.record("unknown type accepted"); return
        }
        #expect(why.contains("party"))
    }

    @Test func linesAfterCorruptionAreNotExamined() throws {
        let lines = try sealed(JournalFixtures.mixedEntries())
        let (steps, _) = scan([lines[0], lines[2], lines[1]])
        #expect(steps.count == 3)
        guard case .corrupt(let first) = steps[1], case .corrupt(let second) = steps[2] else { Issue.record("\(steps)"); return }
        #expect(first == second)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
