import CLibPQ
import Foundation
import Glibc
import Synchronization

/// One libpq connection to a PostgreSQL server. Calls block their thread (run them off event
/// loops) and are serialized by a lock, so the connection is safe to share.
public final class PostgresConnection: @unchecked Sendable {
    /// The server, as given; errors and logs show it masked.
    public let url: PostgresURL
    private let connection: OpaquePointer
    private let lock = Mutex<Void>(())

    /// Connects (libpq reads the URI: host, port, user, password, database, `sslmode`,
    /// `sslrootcert`, …). Throws ``PostgresError`` `.authentication` for a rejected user or
    /// password, `.unreachable` for anything else that keeps the session from starting.
    public init(url: PostgresURL) throws {
        self.url = url
        guard let connection = PQconnectdb(url.text) else {
            throw PostgresError(.unreachable, "\(url.masked): libpq could not allocate a connection (out of memory?)")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PostgresConnection.firstLine(PQerrorMessage(connection))
            PQfinish(connection)
            if message.contains("password authentication failed") || message.contains("no password supplied") {
                throw PostgresError(.authentication, "\(url.masked): the server rejected the login: \(message) "
                                    + "(check the user and password in the URL, ~/.pgpass or PGPASSWORD)")
            }
            throw PostgresError(.unreachable, "\(url.masked): cannot connect: \(message) (check the server is running "
                                + "and listening at that host and port, and the URL's sslmode and sslrootcert)")
        }
        self.connection = connection
        // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit {
        PQfinish(connection)
    }

    /// Runs one statement with text parameters `$1, $2, …` (nil is NULL) and returns its rows.
    /// `operation` names what the statement is for in the error. Throws ``PostgresError``
    /// `.schema` when a table or column is missing, `.query` for other server errors.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = [], operation: String) throws -> PostgresResult {
        try withSession { try $0.query(sql, parameters, operation: operation) }
    }

    /// Runs a script of statements without parameters (schema files, `BEGIN`/`COMMIT`).
    public func execute(_ script: String, operation: String) throws {
        try withSession { try $0.execute(script, operation: operation) }
    }

    /// Runs `body` with the connection to itself (no other thread's statements in between).
    public func withSession<T>(_ body: (Session) throws -> T) rethrows -> T {
        try lock.withLock { _ in try body(Session(connection: connection, url: url)) }
    }

    /// `body` in one transaction (`BEGIN mode` … `COMMIT`; `ROLLBACK` when it throws), the
    /// connection held for it. `mode` e.g. `ISOLATION LEVEL REPEATABLE READ READ ONLY`.
    public func transaction<T>(_ mode: String = "", operation: String, _ body: (Session) throws -> T) throws -> T {
        try withSession { session in
            try session.execute("BEGIN \(mode)", operation: operation)
            do {
                let value = try body(session)
                try session.execute("COMMIT", operation: operation)
                return value
            } catch {
                try? session.execute("ROLLBACK", operation: operation)
                throw error
            }
        }
    }

    /// The socket and connection for ``PostgresListener``; only under the lock.
    func withConnection<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try lock.withLock { _ in try body(connection) }
    }

    /// `{"a","b"}`: a `text[]` parameter holding `values`, every element quoted.
    public static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    static func firstLine(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).split(separator: "\n").first.map { String($0) } ?? ""
    }
}

extension PostgresConnection {
    /// The connection held by one caller (see ``PostgresConnection/withSession(_:)``).
    public struct Session {
        fileprivate let connection: OpaquePointer
        fileprivate let url: PostgresURL

        /// Runs one statement with text parameters `$1, $2, …` (nil is NULL) and returns its rows.
        /// `operation` names what the statement is for in the error. Throws ``PostgresError``
        /// `.schema` when a table or column is missing, `.query` for other server errors.
        @discardableResult
        public func query(_ sql: String, _ parameters: [String?] = [], operation: String) throws -> PostgresResult {
            let result = Self.withCStrings(parameters) { values in
                PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
            return try check(result, operation: operation, expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK])
        }

        /// Runs a script of statements without parameters (schema files, `BEGIN`/`COMMIT`).
        public func execute(_ script: String, operation: String) throws {
            _ = try check(PQexec(connection, script), operation: operation, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
        }

        /// `COPY … FROM STDIN` (text format): `produce` writes rows through the ``CopyWriter``,
        /// which sends them in 64 KiB pieces. Returns the rows the server took. A throw from
        /// `produce` aborts the COPY (nothing of it is kept) and is rethrown.
        public func copyIn(_ sql: String, operation: String, _ produce: (inout CopyWriter) throws -> Void) throws -> Int {
            _ = try check(PQexec(connection, sql), operation: operation, expecting: [PGRES_COPY_IN])
            var writer = CopyWriter(connection: connection)
            do {
                try produce(&writer)
                try writer.flush()
            } catch {
                PQputCopyEnd(connection, "aborted by the client: \(error)")
                while let result = PQgetResult(connection) { PQclear(result) }
                throw error
            }
            guard PQputCopyEnd(connection, nil) == 1 else { throw failure(operation, nil) }
            var rows = 0
            var firstError: PostgresError?
            while let next = PQgetResult(connection) {
                let outcome = Result { try check(next, operation: operation, expecting: [PGRES_COMMAND_OK]) }
                switch outcome {
                case .success(let result): rows = result.affectedRows
                case .failure(let error): firstError = firstError ?? (error as? PostgresError)
                }
            }
            if let firstError { throw firstError }
            return rows
        }

        fileprivate func check(_ result: OpaquePointer?, operation: String, expecting: [ExecStatusType]) throws -> PostgresResult {
            guard let result else { throw failure(operation, nil) }
            let wrapped = PostgresResult(result)
            guard expecting.contains(PQresultStatus(result)) else { throw failure(operation, result) }
            return wrapped
        }

        fileprivate func failure(_ operation: String, _ result: OpaquePointer?) -> PostgresError {
            let message = result.map { PostgresConnection.firstLine(PQresultErrorMessage($0)) } ?? ""
            let text = message.isEmpty ? PostgresConnection.firstLine(PQerrorMessage(connection)) : message
            let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
            if state == "42P01" || state == "42703" {  // undefined_table, undefined_column
                return PostgresError(.schema, "\(url.masked): \(operation) failed: \(text) (apply the schema: "
                                     + "psql '\(url.masked)' -f Ops/sql/propcast-store.sql)")
            }
            if PQstatus(connection) != CONNECTION_OK {
                return PostgresError(.unreachable, "\(url.masked): \(operation) failed: the connection was lost: \(text) "
                                     + "(check the server is up, then run the command again)")
            }
            return PostgresError(.query, "\(url.masked): \(operation) failed: \(text)")
        }

        private static func withCStrings<T>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
            let copies = values.map { $0.map { strdup($0) } ?? nil }
            defer { copies.forEach { free($0) } }
            return body(copies.map { $0.map { UnsafePointer($0) } })
        }
    }
}
