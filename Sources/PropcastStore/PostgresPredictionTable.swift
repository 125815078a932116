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

    /// A date's journal as export steps: calls its argument with each step in seq order, and
    /// throws to abort the export (for a journal found corrupt after some of its steps were
    /// handed over: nothing of the date is then exported).
    public typealias StepSource = (_ consume: (JournalStep) throws -> Void) throws -> Void

    /// Exports the steps of `date` after the last exported seq, in one transaction. Throws
    /// ``PostgresError``, what `steps` throws, and ``StoreError`` when the journal is not the one
    /// exported before (the record at the stored seq has another chain hash, or the journal is shorter).
    @discardableResult
    public static func export(date: GameDate, steps: StepSource, to connection: PostgresConnection) throws -> ExportSummary {
        try connection.withSession { try createIfNeeded($0) }
        return try connection.transaction(operation: "exporting the predictions of \(date)") { session in
            try PostgresDateExport(date: date, session: session, url: connection.url).run(steps)
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
}
