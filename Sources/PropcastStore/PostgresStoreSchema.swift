import PropcastPostgres

/// The PostgreSQL feature store's schema: `Ops/sql/propcast-store.sql`, applied by the
/// operator or DBA, and checked by version whenever Propcast connects.
public enum PostgresStoreSchema {
    /// The version `Ops/sql/propcast-store.sql` writes into `propcast_schema`.
    public static let version = 1
    /// The schema file, relative to the installation.
    public static let file = "Ops/sql/propcast-store.sql"

    /// Connects and checks the schema version. Throws ``PostgresError`` (`.unreachable`,
    /// `.authentication`, `.schema` naming the file to apply) — each one line naming the masked URL.
    static func connect(_ url: PostgresURL) throws -> PostgresConnection {
        let connection = try PostgresConnection(url: url)
        let result = try connection.query("SELECT version FROM propcast_schema WHERE component = 'feature_store'",
                                          operation: "checking the feature store schema")
        let found = result.rowCount == 0 ? nil : result.number(0, 0).map { Int($0) }
        guard let found, found >= version else {
            throw PostgresError(.schema, "\(url.masked): the feature store schema is at version \(found.map(String.init) ?? "none"), "
                                + "Propcast needs \(version) (apply it: psql '\(url.masked)' -v ON_ERROR_STOP=1 -f \(file))")
        }
        return connection
    }

    /// Makes sure the tables are empty before seeding: empties them when `replacing`, otherwise
    /// throws ``StoreError`` if they hold rows.
    static func prepareEmpty(_ connection: PostgresConnection, replacing: Bool) throws {
        if replacing {
            try connection.execute("TRUNCATE ml_feature_store_v2, player_game_summary, upcoming_player_game_context",
                                   operation: "emptying the feature store")
            return
        }
        let rows = try connection.query("SELECT EXISTS (SELECT 1 FROM ml_feature_store_v2)", operation: "checking the store is empty")
        if rows.text(0, 0) == "t" {
            throw StoreError(what: "ml_feature_store_v2 already holds rows", where: connection.url.masked,
                             fix: "pass --force to replace the store's rows, or seed another database")
        }
    }
}

/// A row of a PostgreSQL result read as a store row: the column's type decides what it can be
/// read as (text columns as text; integer and real columns as numbers), as SQLite's storage
/// classes do for ``SQLiteStatementRow``.
struct PostgresStoreRow: StoreRow {
    let result: PostgresResult
    let row: Int

    func text(_ index: Int) -> Cell<String> {
        if result.isNull(row, index) { return .null }
        return result.kind(of: index) == .text ? .value(result.text(row, index)) : .wrongType
    }

    /// A number; `-0` reads as `0`, as SQLite stores it (so both stores give the same bits).
    func real(_ index: Int) -> Cell<Double> {
        if result.isNull(row, index) { return .null }
        switch result.kind(of: index) {
        case .integer, .real: return Double(result.text(row, index)).map { .value($0 + 0.0) } ?? .wrongType
        default: return .wrongType
        }
    }

    func integer(_ index: Int) -> Cell<Int> {
        if result.isNull(row, index) { return .null }
        switch result.kind(of: index) {
        case .integer: return Int(result.text(row, index)).map { .value($0) } ?? .wrongType
        case .real:
            guard let real = Double(result.text(row, index)), real >= Double(Int64.min), real < Double(Int64.max) else {
                return .wrongType
            }
            return .value(Int(real))
        default: return .wrongType
        }
    }
}

/// The rows of a PostgreSQL result, one at a time.
struct PostgresRowCursor: StoreRowCursor {
    let result: PostgresResult
    private var position = 0

    init(_ result: PostgresResult) {
        self.result = result
    }

    mutating func next() throws -> PostgresStoreRow? {
        guard position < result.rowCount else { return nil }
        defer { position += 1 }
        return PostgresStoreRow(result: result, row: position)
    }
}
