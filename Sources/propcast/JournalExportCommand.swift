import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastStore

/// `propcast journal export`: a date's predictions into a `player_prop_predictions` table, in
/// a SQLite file or on PostgreSQL; running it again changes nothing.
struct JournalExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write journals' predictions into a player_prop_predictions table (SQLite or PostgreSQL; idempotent).",
        discussion: "SQLite (--sqlite FILE --date D): superseded predictions are deleted. PostgreSQL (--postgres URL, "
            + "--date D or --all): superseded predictions get is_active = false, and each date is one transaction that "
            + "also stores the last journal seq exported, so a crash mid-export and a re-run give the same table. "
            + "Exit codes: 0 ok; 2 usage or database error; 7 corrupt journal.")

    @OptionGroup var location: JournalLocationOptions
    @Option(help: "SQLite database file to write (created if missing).") var sqlite: String?
    @Option(help: ArgumentHelp("PostgreSQL database to write (postgresql://user@host:port/db?sslmode=…).", valueName: "url"))
    var postgres: String?
    @Flag(help: "With --postgres: export every journal in --journal-dir.") var all = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        switch (sqlite, postgres) {
        case (let file?, nil): try exportToSQLite(file)
        case (nil, let url?): try exportToPostgres(url)
        default: throw CommandFailure(.usage, "pass one of --sqlite FILE or --postgres URL")
        }
    }

    private func exportToPostgres(_ text: String) throws {
        guard let url = PostgresURL(text) else {
            throw CommandFailure(.usage, "--postgres '\(text)' is not a postgresql:// URL")
        }
        guard all != (location.date != nil) else { throw CommandFailure(.usage, "pass --date YYYY-MM-DD or --all (not both)") }
        let dates = all ? nil : [try location.resolvedDate()]
        let exporter = PostgresExport(directory: location.directory, url: url)
        do {
            try exporter.run(dates: dates) { export in
                if let torn = export.tornTail {
                    printToStderr("propcast journal export: \(export.date): \(torn) — exported the records before it")
                }
                print("\(export.date): \(export.summary) → \(url.masked)")
            }
        } catch let error as PostgresError {
            throw CommandFailure(.usage, "\(error)")
        } catch let error as StoreError {
            throw CommandFailure(.usage, "\(error)")
        } catch let error as BatchError {
            guard case .journal = error.code else { throw CommandFailure(.usage, "\(error)") }
            printToStderr("propcast journal export: \(error)")
            throw ExitStatus.journal.exit
        }
    }

    private func exportToSQLite(_ sqlite: String) throws {
        guard !all else { throw CommandFailure(.usage, "--all works with --postgres; with --sqlite pass --date") }
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
