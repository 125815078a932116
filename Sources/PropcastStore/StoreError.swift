/// A feature-store failure: what went wrong, where, and what to do about it.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, e.g. `no such file`.
    public var what: String
    /// Where: a file path, a table, a date.
    public var `where`: String
    /// What the user can do about it.
    public var fix: String

    /// Creates an error from its three parts.
    public init(what: String, where location: String, fix: String) {
        self.what = what
        self.where = location
        self.fix = fix
    }

    /// `where: what (fix)`.
    public var description: String { "\(self.where): \(what) (\(fix))" }
}
