import Foundation
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastStore

/// `journal export --postgres`: journals into PostgreSQL's `player_prop_predictions`, one
/// transaction per date, exactly once (see ``PostgresPredictionTable``).
public struct PostgresExport: Sendable {
    /// One date's outcome.
    public struct DateExport: Sendable {
        public var date: GameDate
        public var summary: PostgresPredictionTable.ExportSummary
        /// Set when the journal has a torn tail: exported up to it.
        public var tornTail: String?
    }

    /// The journals.
    public var directory: JournalDirectory
    /// The database.
    public var url: PostgresURL

    /// Creates an exporter.
    public init(directory: JournalDirectory, url: PostgresURL) {
        self.directory = directory
        self.url = url
    }

    /// Exports `dates` (nil: every journal in the directory) over one connection; `report`
    /// gets each date as it is done. Throws ``PostgresError``, ``StoreError``, or
    /// ``BatchError`` for a missing or corrupt journal (dates before it stay exported).
    @discardableResult
    public func run(dates: [GameDate]? = nil, report: (DateExport) -> Void = { _ in }) throws -> [DateExport] {
        let connection = try PostgresConnection(url: url)
        let chosen = try dates ?? directory.dates()
        var done: [DateExport] = []
        for date in chosen {
            let export = try exportDate(date, connection)
            report(export)
            done.append(export)
        }
        return done
    }

    private func exportDate(_ date: GameDate, _ connection: PostgresConnection) throws -> DateExport {
        let path = directory.journalPath(for: date)
        guard FileManager.default.fileExists(atPath: path) else {
            throw BatchError(.configuration, "no journal for \(date) at \(path) (pass a date that has one, or --journal-dir)")
        }
        var torn: String?
        let summary = try PostgresPredictionTable.export(date: date, steps: { consume in
            let contents = try JournalReader.read(path: path, date: date, keepRecords: false) { try consume(Self.step($0)) }
            switch contents.verdict {
            case .clean: break
            case .tornTail(_, let tail): torn = "\(tail)"
            case .corrupt(let defect):
                throw BatchError(.journal, "\(path) \(defect) (run `propcast journal verify --date \(date)`; nothing of this date was exported)")
            }
        }, to: connection)
        return DateExport(date: date, summary: summary, tornTail: torn)
    }

    /// A journal record as an export step: predictions and supersessions change the table.
    public static func step(_ record: JournalRecord) -> PostgresPredictionTable.JournalStep {
        let change: PostgresPredictionTable.Change? = switch record.entry {
        case .prediction(let row): .prediction(PredictionTable.Row(prediction: row, createdAt: record.timestamp))
        case .superseded(let withdrawn): .superseded(withdrawn.predictionIDs)
        default: nil
        }
        return PostgresPredictionTable.JournalStep(seq: record.seq, prev: record.prev, change: change)
    }
}
