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
            Exit codes: 0 every journal verifies (and holds the expected head); 7 a bad line (named), or the \
            journal is shorter than or different from the expected head; 2 usage error.
            """)

    @OptionGroup var location: JournalLocationOptions
    @Flag(help: "Verify every journal in --journal-dir.") var all = false
    @Option(help: "SEQ:SHA256 printed by an earlier verify: the journal must still hold that line unchanged.")
    var expectHead: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        if all, location.date != nil { throw CommandFailure(.usage, "pass --date or --all, not both") }
        let head = try expectHead.map { text in
            guard let head = JournalVerification.Head(text) else {
                throw CommandFailure(.usage, "--expect-head '\(text)' is not SEQ:SHA256 (e.g. 42:9b1d…, 64 lowercase hex digits)")
            }
            return head
        }
        if head != nil, all { throw CommandFailure(.usage, "--expect-head checks one journal: pass --date, not --all") }
        let dates: [GameDate]
        if all {
            do { dates = try location.directory.dates() } catch { throw CommandFailure(.usage, "\(error)") }
            guard !dates.isEmpty else { throw CommandFailure(.usage, "no journals in \(location.journalDirectory)") }
        } else {
            dates = [try location.resolvedDate()]
        }
        var failed = false
        for date in dates {
            let path = location.directory.journalPath(for: date)
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure(.usage, "no journal for \(date) at \(path)")
            }
            let verification = try JournalVerification(path: path, date: date, expectedHead: head)
            verification.lines.forEach { print($0) }
            failed = failed || !verification.passed
        }
        if failed { throw ExitStatus.journal.exit }
    }
}
