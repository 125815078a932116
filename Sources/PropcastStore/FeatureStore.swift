import Foundation
import GRDB
import PropcastModels

/// The embedded feature store: one SQLite file with the tables of ``StoreSchema``.
///
/// Thread-safe (`Sendable`): all access goes through a GRDB `DatabaseQueue`, which serializes it.
public final class FeatureStore: Sendable {
    /// The file this store reads.
    public let path: String
    /// The GRDB connection; other modules go through the store's methods.
    let database: DatabaseQueue

    /// Opens an existing store. Throws ``StoreError`` when the file is missing, is not SQLite,
    /// or was not created by Propcast (missing or unknown schema migrations).
    /// - Parameter readOnly: open without write access (default true; batch runs only read).
    public init(path: String, readOnly: Bool = true) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(what: "no such file", where: path,
                             fix: "pass the path of a feature store, or create one with `propcast store seed --store \(path)`")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            let migrated = try database.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
            guard migrated else {
                throw StoreError(what: "not a Propcast feature store (schema migrations missing)", where: path,
                                 fix: "point at a file created by `propcast store seed`")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(what: "cannot be read as a Propcast feature store: \(error)", where: path,
                             fix: "check the file is an SQLite database created by `propcast store seed`")
        }
        self.path = path
    }

    private init(path: String, database: DatabaseQueue) {
        self.path = path
        self.database = database
    }

    /// Creates a new, empty store at `path` with the current schema. Throws ``StoreError`` if
    /// the file already exists (callers decide about overwriting) or cannot be created.
    public static func create(path: String) throws -> FeatureStore {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(what: "file already exists", where: path,
                             fix: "remove it first or choose another path (the CLI has --force)")
        }
        do {
            let database = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(database)
            return FeatureStore(path: path, database: database)
        } catch {
            throw StoreError(what: "cannot create the store: \(error)", where: path,
                             fix: "check the directory exists and is writable")
        }
    }

    /// Closes the connection; later calls throw. Safe to call more than once.
    public func close() throws {
        try database.close()
    }

    /// Runs `body` on a read-only connection, turning GRDB errors into a ``StoreError`` naming
    /// the file and the `operation`.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(what: "\(operation) failed: \(error)", where: path,
                             fix: "check the file is an intact Propcast feature store")
        }
    }

    /// Runs `body` in one write transaction (rolled back when it throws), turning failures into
    /// a ``StoreError`` naming the file and the `operation`.
    func edit<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch {
            throw StoreError(what: "\(operation) failed: \(error)", where: path,
                             fix: "check the store is writable (opened with readOnly: false) and the disk has room, then retry")
        }
    }
}
