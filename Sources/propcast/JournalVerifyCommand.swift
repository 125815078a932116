import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels

/// `propcast journal verify`: checks CRCs, seq continuity, the hash chain and the schema,
/// prints a summary per journal and exits 7 (a damaged journal) naming the first bad line.
struct JournalVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify journals (CRC, seq, hash chain, schema, batch_finished counts) and summarise them.",
        discussion: """
            Prints the head (last seq and the SHA-256 of its line): record it elsewhere (a ticket, another \
            host) and later check the journal still holds that exact prefix with --expect-head SEQ:SHA256. \
            Exit codes: 0 every journal verifies (and holds the expected head); 1 a bad line (named), or the \
            journal is shorter than or different from the expected head; 2 usage error.
            """)

    @OptionGroup var location: JournalLocationOptions

    @Flag(help: "Verify every journal in --journal-dir.")
    var all = false

    @Option(help: "SEQ:SHA256 printed by an earlier verify: the journal must still hold that line unchanged.")
    var expectHead: String?

    func run() async throws {
        if all, location.date != nil { throw JournalUsage.fail("pass --date or --all, not both") }
        let anchor = try expectHead.map(Self.parseAnchor)
        if anchor != nil, all { throw JournalUsage.fail("--expect-head checks one journal: pass --date, not --all") }
        let dates: [GameDate]
        if all {
            do {
                dates = try location.directory.dates()
            } catch {
                throw JournalUsage.fail("\(error)")
            }
            guard !dates.isEmpty else { throw JournalUsage.fail("no journals in \(location.journalDirectory)") }
        } else {
            dates = [try location.resolvedDate()]
        }
        var failed = false
        for date in dates {
            let path = location.directory.journalPath(for: date)
            guard FileManager.default.fileExists(atPath: path) else {
                throw JournalUsage.fail("no journal for \(date) at \(path)")
            }
            let contents = try JournalReader.read(path: path, date: date, keepRecords: false, anchorSeq: anchor?.seq)
            let report = JournalVerificationReport(date: date, contents: contents)
            print(report.text)
            failed = failed || !report.passed
            if let anchor, report.passed {
                if contents.anchorHash == nil {
                    print("\(date): FAILED expected head seq \(anchor.seq) but the journal ends before it: lines were removed")
                    failed = true
                } else if contents.anchorHash != anchor.hash {
                    print("\(date): FAILED line seq \(anchor.seq) has sha256 \(contents.anchorHash ?? "-"), "
                          + "expected \(anchor.hash): the journal up to that line was rewritten")
                    failed = true
                } else {
                    print("\(date): expected head seq \(anchor.seq) sha256 \(anchor.hash) is present unchanged")
                }
            }
        }
        if failed { throw ExitStatus.journal.exit }
    }

    /// `SEQ:SHA256` → its parts.
    static func parseAnchor(_ text: String) throws -> (seq: UInt64, hash: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let seq = UInt64(parts[0]), seq > 0, parts[1].count == 64,
              parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw JournalUsage.fail("--expect-head '\(text)' is not SEQ:SHA256 (e.g. 42:9b1d…, 64 lowercase hex digits)")
        }
        return (seq, parts[1])
    }
}

/// The text `journal verify` prints for one journal.
struct JournalVerificationReport {
    let passed: Bool
    let text: String

    init(date: GameDate, contents: JournalReader.Contents) {
        let index = contents.index
        let summary = "\(index.recordCount) records, \(index.countsByType[.prediction] ?? 0) prediction records "
            + "(\(index.currentIDs.count) current), \(index.playersWithPredictions) players with predictions, "
            + "\(index.skippedPlayers.count) skipped, \(index.failedPlayers.count) failed, "
            + "\(index.supersededIDs.count) superseded; batch_finished counts checked; "
            + "first \(index.firstTimestamp ?? "-"), last \(index.lastTimestamp ?? "-")"
        switch contents.verdict {
        case .clean(let position):
            passed = true
            text = "\(date): OK \(summary); head seq \(position.lastSeq) sha256 \(position.lastHash)"
        case .tornTail(let position, let torn):
            passed = false
            text = "\(date): FAILED \(contents.path) \(torn) — a torn tail after seq \(position.lastSeq) "
                + "(byte \(position.byteCount)); the next writer open cuts it. Valid prefix: \(summary)"
        case .corrupt(let defect):
            passed = false
            text = "\(date): FAILED \(contents.path) \(defect). Records before it: \(summary). "
                + "The journal is damaged before its end; restore it from a copy."
        }
    }
}
