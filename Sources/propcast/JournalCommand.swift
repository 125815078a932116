import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels

/// `propcast journal …`: read, verify and export the per-date prediction journals.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Follow, verify and export the write-ahead prediction journals (one file per game date).",
        subcommands: [JournalTailCommand.self, JournalVerifyCommand.self, JournalExportCommand.self,
                      JournalStressAppendCommand.self])
}

/// Options shared by the journal subcommands.
struct JournalLocationOptions: ParsableArguments {
    @Option(name: .customLong("journal-dir"), help: "Directory holding <YYYY-MM-DD>.journal files.")
    var journalDirectory = "journal"

    @Option(name: .long, help: "Game date (YYYY-MM-DD). Default: the newest journal in --journal-dir.") var date: String?

    var directory: JournalDirectory { JournalDirectory(journalDirectory) }

    /// The date asked for, or the newest journal's; exits 2 with a message when neither works.
    func resolvedDate() throws -> GameDate {
        if let date {
            guard let parsed = GameDate(date) else { throw CommandFailure(.usage, "--date '\(date)' is not YYYY-MM-DD") }
            return parsed
        }
        guard let newest = try? directory.dates().last else {
            throw CommandFailure(.usage, "no journal in \(journalDirectory); pass --date YYYY-MM-DD or --journal-dir")
        }
        return newest
    }
}
