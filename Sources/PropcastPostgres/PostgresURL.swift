import Foundation

/// A libpq connection URI, `postgresql://user:password@host:port/database?sslmode=verify-full&…`
/// (also `postgres://`), kept as given for libpq and shown with its password masked.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// The URI exactly as given (passed to libpq).
    public let text: String

    /// Whether `text` names a PostgreSQL server rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Accepts `postgresql://…` and `postgres://…`; nil for anything else.
    public init?(_ text: String) {
        guard Self.isPostgres(text) else { return nil }
        self.text = text
    }

    /// The URI with any password replaced by `***`: in the user info and in a `password=`
    /// query parameter. Safe for logs and error messages.
    public var masked: String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        var result = String(text[..<schemeEnd.upperBound])
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[..<colon] + ":***"
            } else {
                result += userInfo
            }
            result += authority[at...]
        } else {
            result += authority
        }
        let tail = rest[authorityEnd...]
        guard let query = tail.firstIndex(of: "?") else { return result + tail }
        result += tail[...query]
        let parameters = tail[tail.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
        result += parameters.map { $0.hasPrefix("password=") ? "password=***" : String($0) }.joined(separator: "&")
        return result
    }

    /// The masked URI.
    public var description: String { masked }
}
