import GRDB
import GRDBSQLite

/// One fetched row of a store query, read by column position (looking columns up by name costs
/// more than reading them) and without trapping conversions, whatever database it came from.
/// The row parsers read through this, so SQLite and PostgreSQL rows give the same inputs.
protocol StoreRow {
    /// Text: a value, NULL, or a value of another type.
    func text(_ index: Int) -> Cell<String>
    /// A number (integer or real): a value, NULL, or a value of another type.
    func real(_ index: Int) -> Cell<Double>
    /// An integer (a real is truncated, as SQLite's own conversion does): a value, NULL, or a
    /// value of another type.
    func integer(_ index: Int) -> Cell<Int>
}

/// One column of a fetched row: a value of the wanted type, NULL, or a value of another type.
enum Cell<T> {
    case value(T)
    case null
    case wrongType

    var value: T? {
        if case .value(let value) = self { return value }
        return nil
    }

    var isWrongType: Bool {
        if case .wrongType = self { return true }
        return false
    }
}

/// The current row of a stepping SQLite statement, read straight from `sqlite3_column_*` with
/// the storage class checked first: the same values GRDB's `DatabaseValue` conversions give
/// (text or UTF-8 blob as text; integer or real as a number), without building a
/// `DatabaseValue` per cell. Valid until the statement steps again.
struct SQLiteStatementRow: StoreRow {
    let statement: SQLiteStatement

    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
    }

    func text(_ index: Int) -> Cell<String> {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return .null
        case SQLITE_TEXT:
            guard let bytes = sqlite3_column_text(statement, column) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .value(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let start = sqlite3_column_blob(statement, column) else { return .value("") }
            let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
            guard let text = String(validating: bytes, as: UTF8.self) else { return .wrongType }
            return .value(text)
        default:
            return .wrongType
        }
    }

    func real(_ index: Int) -> Cell<Double> {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .value(Double(sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .value(sqlite3_column_double(statement, column))
        default: return .wrongType
        }
    }

    func integer(_ index: Int) -> Cell<Int> {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return Int(exactly: sqlite3_column_int64(statement, column)).map { .value($0) } ?? .wrongType
        case SQLITE_FLOAT:
            let real = sqlite3_column_double(statement, column)
            guard real >= Double(Int64.min), real < Double(Int64.max) else { return .wrongType }
            return .value(Int(real))
        default:
            return .wrongType
        }
    }
}

/// Rows of a store query, one at a time; the row returned is valid until the next call.
protocol StoreRowCursor {
    associatedtype Current: StoreRow
    /// The next row, or nil after the last.
    mutating func next() throws -> Current?
}

/// A GRDB statement stepped row by row, its rows read by ``SQLiteStatementRow``.
struct SQLiteRowCursor: StoreRowCursor {
    private let rows: RowCursor
    private let current: SQLiteStatementRow

    init(_ db: Database, sql: String, arguments: StatementArguments) throws {
        let statement = try db.makeStatement(sql: sql)
        rows = try Row.fetchCursor(statement, arguments: arguments)
        current = SQLiteStatementRow(statement)
    }

    mutating func next() throws -> SQLiteStatementRow? {
        try rows.next() == nil ? nil : current
    }
}
