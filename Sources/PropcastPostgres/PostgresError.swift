import PropcastErrors

/// A failure talking to a PostgreSQL server: which, naming the server's URL with the password
/// masked, and what to do.
public typealias PostgresError = CodedError<PostgresErrorCode>

/// The kinds of ``PostgresError``.
public enum PostgresErrorCode: String, Sendable, Equatable {
    /// The server cannot be reached, refused the connection or the TLS handshake failed.
    case unreachable
    /// The server rejected the user or password.
    case authentication
    /// The database is there but its tables are missing or of an older schema version.
    case schema
    /// A statement failed on the server.
    case query
}
