import PropcastModels
import PropcastPostgres

/// One date's export inside its transaction (``PostgresPredictionTable/export(date:steps:to:)``):
/// the progress row locked, the journal's new steps folded (``PostgresExportFold``) and written.
///
/// - The date's first export (no rows of the date in the table yet) COPYs each prediction
///   straight into the table as the journal is read, so reading and the server's work overlap;
///   ids changed later in the same journal are merged afterwards.
/// - Later exports COPY the new steps' last states into a staging table and merge it: new ids
///   inserted, changed rows updated, identical rows left alone.
struct PostgresDateExport {
    typealias Summary = PostgresPredictionTable.ExportSummary

    let date: GameDate
    let session: PostgresConnection.Session
    let url: PostgresURL
    private let day: String
    private let operation: String

    init(date: GameDate, session: PostgresConnection.Session, url: PostgresURL) {
        self.date = date
        self.session = session
        self.url = url
        day = date.description
        operation = "exporting the predictions of \(day)"
    }

    func run(_ steps: PostgresPredictionTable.StepSource) throws -> Summary {
        _ = try session.query("""
            INSERT INTO propcast_export_progress (game_date, last_seq, last_prev) VALUES ($1::date, NULL, NULL)
            ON CONFLICT (game_date) DO NOTHING
            """, [day], operation: operation)
        let progress = try session.query("""
            SELECT last_seq, last_prev FROM propcast_export_progress WHERE game_date = $1::date FOR UPDATE
            """, [day], operation: operation)
        let exported = progress.isNull(0, 0) ? nil : UInt64(progress.text(0, 0)).map { (seq: $0, prev: progress.text(0, 1)) }
        let dateHasRows = try exported != nil || session.query("""
            SELECT EXISTS (SELECT 1 FROM player_prop_predictions WHERE game_date = $1::date)
            """, [day], operation: operation).text(0, 0) == "t"

        var reading = Reading(exported: exported, streaming: !dateHasRows)
        if dateHasRows {
            try steps { step in _ = try reading.take(step, date: day, url: url) }
        } else {
            _ = try session.copyIn(PostgresPredictionSQL.copyTable, operation: operation) { copy in
                try steps { step in
                    if let row = try reading.take(step, date: day, url: url) {
                        try PostgresPredictionSQL.write(row, active: true, to: &copy)
                    }
                }
            }
        }
        try reading.finish(date: day, url: url)

        var summary = Summary(previousSeq: exported?.seq, firstNewSeq: reading.firstNew?.seq,
                              lastSeq: reading.lastNew?.seq ?? exported?.seq)
        guard let last = reading.lastNew else { return summary }
        let merges = reading.fold.merges
        if dateHasRows {
            try merge(merges, counting: &summary)
        } else {
            summary.inserted = reading.fold.streamedCount
            var rewritten = Summary()  // ids journaled again after they streamed: inserted above
            try merge(merges, counting: &rewritten)
        }
        let withdrawn = reading.fold.deactivations
        if !withdrawn.isEmpty {
            let result = try session.query("""
                UPDATE player_prop_predictions SET is_active = false WHERE prediction_id = ANY($1::text[]) AND is_active
                """, [PostgresConnection.textArray(withdrawn.map(\.description).sorted())], operation: operation)
            summary.deactivated += result.affectedRows
        }
        summary.deactivated += merges.count { !$0.active }
        _ = try session.query("""
            UPDATE propcast_export_progress SET last_seq = $2, last_prev = $3, exported_at = now() WHERE game_date = $1::date
            """, [day, "\(last.seq)", last.prev], operation: operation)
        return summary
    }

    /// COPYs `entries` into a staging table (dropped at commit; one per transaction) and merges
    /// it into the table; `summary` counts the rows inserted and updated.
    private func merge(_ entries: [PostgresExportFold.Entry], counting summary: inout Summary) throws {
        guard !entries.isEmpty else { return }
        try session.execute(PostgresPredictionSQL.createStaging, operation: operation)
        _ = try session.copyIn(PostgresPredictionSQL.copyStaging, operation: operation) { copy in
            for entry in entries { try PostgresPredictionSQL.write(entry.row, active: entry.active, to: &copy) }
        }
        let merged = try session.query(PostgresPredictionSQL.merge, operation: operation)
        for index in 0..<merged.rowCount {
            if merged.text(index, 0) == "t" { summary.inserted += 1 } else { summary.updated += 1 }
        }
    }

    /// The journal's steps as they arrive: those up to the exported seq checked and skipped, the
    /// new ones folded.
    private struct Reading {
        let exported: (seq: UInt64, prev: String)?
        var fold: PostgresExportFold
        var firstNew: PostgresPredictionTable.JournalStep?
        var lastNew: PostgresPredictionTable.JournalStep?
        private var reachedExported = false

        init(exported: (seq: UInt64, prev: String)?, streaming: Bool) {
            self.exported = exported
            fold = PostgresExportFold(streaming: streaming)
            reachedExported = exported == nil
        }

        /// Takes the next step; returns a row to stream (see ``PostgresExportFold/add(_:)``).
        mutating func take(_ step: PostgresPredictionTable.JournalStep, date: String, url: PostgresURL) throws -> PredictionTable.Row? {
            if let exported, step.seq <= exported.seq {
                if step.seq == exported.seq {
                    guard step.prev == exported.prev else { throw mismatch(date: date, url: url) }
                    reachedExported = true
                }
                return nil
            }
            if firstNew == nil { firstNew = step }
            lastNew = step
            return fold.add(step.change)
        }

        /// Checks that the journal reached the exported seq.
        func finish(date: String, url: PostgresURL) throws {
            guard reachedExported else { throw mismatch(date: date, url: url) }
        }

        private func mismatch(date: String, url: PostgresURL) -> StoreError {
            StoreError(what: "the journal of \(date) is not the one exported up to seq \(exported?.seq ?? 0) "
                       + "(that record is missing or has another hash)", where: url.masked,
                       fix: "delete the date's rows and its propcast_export_progress row to export it afresh")
        }
    }
}
