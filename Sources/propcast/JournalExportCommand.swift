import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastStore

/// `propcast journal export`: upserts a date's predictions into a SQLite
/// `player_prop_predictions` table; running it again changes nothing.
struct JournalExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Upsert a journal's predictions into a SQLite player_prop_predictions table (idempotent).",
        discussion: "Superseded predictions are deleted from the table. Exit codes: 0 ok; 1 corrupt journal or database error; "
            + "2 usage error.")

    @OptionGroup var location: JournalLocationOptions
    @Option(help: "SQLite database file to write (created if missing).") var sqlite: String
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let dateText = location.date else { throw CommandFailure(.usage, "export needs --date YYYY-MM-DD") }
        guard let date = GameDate(dateText) else { throw CommandFailure(.usage, "--date '\(dateText)' is not YYYY-MM-DD") }
        let path = location.directory.journalPath(for: date)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(.usage, "no journal for \(date) at \(path)")
        }
        let contents = try JournalReader.read(path: path, date: date)
        switch contents.verdict {
        case .clean:
            break
        case .tornTail(_, let torn):
            printToStderr("propcast journal export: \(path) \(torn) — exporting the records before it")
        case .corrupt(let defect):
            printToStderr("propcast journal export: \(path) \(defect); run `propcast journal verify`")
            throw ExitStatus.journal.exit
        }
        let rows = contents.records.compactMap { record -> PredictionTable.Row? in
            guard case .prediction(let row) = record.entry else { return nil }
            return PredictionTable.Row(prediction: row, createdAt: record.timestamp)
        }
        let superseded = contents.index.supersededIDs
        let standing = rows.filter { !superseded.contains($0.prediction.predictionID) }
        let summary: PredictionTable.UpsertSummary
        do {
            summary = try PredictionTable.upsert(standing, removing: superseded, databasePath: sqlite)
        } catch {
            printToStderr("propcast journal export: \(sqlite): \(error)")
            throw ExitStatus.usage.exit
        }
        print("\(date): exported \(standing.count) predictions (\(rows.count - standing.count) superseded left out) "
            + "to \(sqlite): \(summary)")
    }
}
