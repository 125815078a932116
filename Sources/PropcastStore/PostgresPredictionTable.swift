import Foundation
import PropcastModels
import PropcastPostgres

/// `player_prop_predictions` on PostgreSQL, the upstream's predictions table, filled from
/// journals by `propcast journal export --postgres`. Exactly once: each date's export runs in
/// one transaction that also stores the last journal seq it covered (with the chain hash of that
/// record), so a crash mid-export leaves the table as it was and a re-run gives the same rows;
/// a re-run with nothing new changes nothing.
public enum PostgresPredictionTable {
    /// One record of a date's journal, in seq order: what the export needs of it.
    public struct JournalStep: Sendable, Hashable {
        /// The record's seq.
        public var seq: UInt64
        /// The record's `prev` (hash of the record before it): identifies the journal up to it.
        public var prev: String
        /// What it changes in the table (nil for records that change nothing).
        public var change: Change?

        /// Creates a step.
        public init(seq: UInt64, prev: String, change: Change?) {
            self.seq = seq
            self.prev = prev
            self.change = change
        }
    }

    /// A change to the table.
    public enum Change: Sendable, Hashable {
        /// A prediction became durable: insert or update it, active.
        case prediction(PredictionTable.Row)
        /// Predictions were withdrawn: `is_active = false`.
        case superseded([PredictionID])
    }

    /// What one date's export did.
    public struct ExportSummary: Sendable, Hashable, CustomStringConvertible {
        /// The last seq exported before this run, the first seq this run exported, and the last
        /// seq exported now.
        public var previousSeq: UInt64?
        public var firstNewSeq: UInt64?
        public var lastSeq: UInt64?
        /// Rows inserted; rows updated (values or `is_active` changed); rows of this export that
        /// are now inactive (superseded), whether inserted, updated or exported before.
        public var inserted = 0
        public var updated = 0
        public var deactivated = 0

        /// `3 inserted, 0 updated, 1 now inactive (seq 0…41)` or `nothing new (exported up to seq 41)`.
        public var description: String {
            guard lastSeq != previousSeq else { return "nothing new (exported up to seq \(lastSeq.map(String.init) ?? "-"))" }
            let range = [firstNewSeq, lastSeq].map { $0.map(String.init) ?? "-" }.joined(separator: "…")
            return "\(inserted) inserted, \(updated) updated, \(deactivated) now inactive (seq \(range))"
        }
    }

    /// Creates the predictions table and the export progress table when missing.
    public static func createIfNeeded(_ session: PostgresConnection.Session) throws {
        try session.execute(PostgresPredictionSQL.createTables, operation: "creating player_prop_predictions")
    }

    /// Exports the steps of `date` after the last exported seq, in one transaction. Throws
    /// ``PostgresError``; and ``StoreError`` when the journal is not the one exported before (the
    /// record at the stored seq has another chain hash, or the journal is shorter).
    @discardableResult
    public static func export(date: GameDate, steps: [JournalStep], to connection: PostgresConnection) throws -> ExportSummary {
        let day = date.description
        let operation = "exporting the predictions of \(day)"
        try connection.withSession { try createIfNeeded($0) }
        return try connection.transaction(operation: operation) { session in
            _ = try session.query("""
                INSERT INTO propcast_export_progress (game_date, last_seq, last_prev) VALUES ($1::date, NULL, NULL)
                ON CONFLICT (game_date) DO NOTHING
                """, [day], operation: operation)
            let progress = try session.query("""
                SELECT last_seq, last_prev FROM propcast_export_progress WHERE game_date = $1::date FOR UPDATE
                """, [day], operation: operation)
            let previousSeq = progress.isNull(0, 0) ? nil : UInt64(progress.text(0, 0))
            if let previousSeq {
                guard let step = steps.first(where: { $0.seq == previousSeq }), step.prev == progress.text(0, 1) else {
                    throw StoreError(what: "the journal of \(day) is not the one exported up to seq \(previousSeq) "
                                     + "(that record is missing or has another hash)", where: connection.url.masked,
                                     fix: "delete the date's rows and its propcast_export_progress row to export it afresh")
                }
            }
            let fresh = steps.filter { step in previousSeq.map { step.seq > $0 } ?? true }
            var summary = ExportSummary(previousSeq: previousSeq, firstNewSeq: fresh.first?.seq,
                                        lastSeq: steps.last?.seq ?? previousSeq)
            guard let last = fresh.last else { return summary }
            try apply(fresh, day: day, session, operation: operation, into: &summary)
            _ = try session.query("""
                UPDATE propcast_export_progress SET last_seq = $2, last_prev = $3, exported_at = now() WHERE game_date = $1::date
                """, [day, "\(last.seq)", last.prev], operation: operation)
            return summary
        }
    }

    /// The last exported seq of each date, for `--all` reports and tests.
    public static func exportedSeqs(_ connection: PostgresConnection) throws -> [GameDate: UInt64] {
        try connection.withSession { try createIfNeeded($0) }
        let result = try connection.query("SELECT game_date::text, last_seq FROM propcast_export_progress WHERE last_seq IS NOT NULL",
                                          operation: "reading export progress")
        var seqs: [GameDate: UInt64] = [:]
        for row in 0..<result.rowCount {
            if let date = GameDate(result.text(row, 0)), let seq = UInt64(result.text(row, 1)) { seqs[date] = seq }
        }
        return seqs
    }

    /// Folds the steps into each id's last state, COPYs the rows into a staging table and
    /// merges them; ids withdrawn whose rows were exported before are deactivated.
    private static func apply(_ steps: [JournalStep], day: String, _ session: PostgresConnection.Session,
                              operation: String, into summary: inout ExportSummary) throws {
        var rows: [PredictionID: (row: PredictionTable.Row, active: Bool)] = [:]
        var order: [PredictionID] = []
        var withdrawn: Set<PredictionID> = []
        for step in steps {
            switch step.change {
            case .prediction(let row):
                let id = row.prediction.predictionID
                if rows[id] == nil { order.append(id) }
                rows[id] = (row, true)
                withdrawn.remove(id)
            case .superseded(let ids):
                for id in ids {
                    if let known = rows[id] { rows[id] = (known.row, false) } else { withdrawn.insert(id) }
                }
            case nil:
                break
            }
        }
        try session.execute(PostgresPredictionSQL.createStaging, operation: operation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        _ = try session.copyIn(PostgresPredictionSQL.copyStaging, operation: operation) { copy in
            for id in order {
                guard let (row, active) = rows[id] else { continue }
                try copy.row(try PostgresPredictionSQL.fields(row, active: active, encoder: encoder))
            }
        }
        let merged = try session.query(PostgresPredictionSQL.merge, operation: operation)
        for index in 0..<merged.rowCount {
            if merged.text(index, 0) == "t" { summary.inserted += 1 } else { summary.updated += 1 }
        }
        if !withdrawn.isEmpty {
            let ids = withdrawn.map(\.description).sorted()
            let result = try session.query("""
                UPDATE player_prop_predictions SET is_active = false WHERE prediction_id = ANY($1::text[]) AND is_active
                """, [PostgresConnection.textArray(ids)], operation: operation)
            summary.deactivated += result.affectedRows
        }
        summary.deactivated += rows.values.filter { !$0.active }.count
    }
}
