import Foundation
import PropcastModels

/// Where journals live: `<directory>/<YYYY-MM-DD>.journal`, plus the writer's lock file
/// `<YYYY-MM-DD>.journal.lock` beside it.
public struct JournalDirectory: Sendable, Hashable {
    /// The directory path.
    public let path: String

    /// A journal directory at `path` (it need not exist yet).
    public init(_ path: String) { self.path = path }

    /// The journal file of `date`.
    public func journalPath(for date: GameDate) -> String { "\(path)/\(date).journal" }

    /// The lock file of `date`'s writer.
    public func lockPath(for date: GameDate) -> String { "\(path)/\(date).journal.lock" }

    /// The pid of the writer holding `date`'s lock (0 if it recorded none), or nil when no
    /// writer is running for the date.
    public func lockHolder(for date: GameDate) -> Int32? { JournalLock.holder(path: lockPath(for: date)) }

    /// The dates that have a journal file, oldest first. Throws ``JournalError/fileSystem(path:operation:reason:)``
    /// when the directory cannot be listed.
    public func dates() throws -> [GameDate] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw JournalError.fileSystem(path: path, operation: "list directory", reason: error.localizedDescription)
        }
        return names.compactMap { name in
            guard name.hasSuffix(".journal") else { return nil }
            return GameDate(String(name.dropLast(".journal".count)))
        }.sorted()
    }
}
