import ArgumentParser
import Foundation
import PropcastJournal
import PropcastModels

/// `propcast journal verify`: checks CRCs, seq continuity, the hash chain and the schema,
/// prints a summary per journal and exits 1 naming the first bad line.
struct JournalVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify journals (CRC, seq, hash chain, schema) and summarise them.",
        discussion: "Exit codes: 0 every journal verifies; 1 a bad line (named); 2 usage error.")

    @OptionGroup var location: JournalLocationOptions

    @Flag(help: "Verify every journal in --journal-dir.")
    var all = false

    func run() async throws {
        if all, location.date != nil { throw JournalUsage.fail("pass --date or --all, not both") }
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
            let contents = try JournalReader.read(path: path, date: date, keepRecords: false)
            let report = JournalVerificationReport(date: date, contents: contents)
            print(report.text)
            failed = failed || !report.passed
        }
        if failed { throw ExitCode(1) }
    }
}

/// The text `journal verify` prints for one journal.
struct JournalVerificationReport {
    let passed: Bool
    let text: String

    init(date: GameDate, contents: JournalReader.Contents) {
        let index = contents.index
        let players = index.playersWithPredictions.count
        let summary = "\(index.recordCount) records, \(index.countsByType[.prediction] ?? 0) predictions, "
            + "\(players) players with predictions, \(index.skippedPlayers.count) skipped, "
            + "\(index.failedPlayers.count) failed, \(index.supersededIDs.count) superseded; "
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
