import Foundation
import GRDB
import PropcastModels
import PropcastPostgres

/// The feature store: the tables of ``StoreSchema`` in one SQLite file (the embedded default)
/// or on a PostgreSQL server (`postgresql://…`, schema `Ops/sql/propcast-store.sql`), with the
/// same queries' results from either.
///
/// Thread-safe (`Sendable`): SQLite access goes through a GRDB `DatabaseQueue`, PostgreSQL
/// through one libpq connection, each of which serializes it.
public final class FeatureStore: Sendable {
    /// The file this store reads, or the server's URL with its password masked.
    public let path: String
    /// Where the tables are.
    let backend: Backend

    enum Backend: Sendable {
        case sqlite(DatabaseQueue)
        case postgres(PostgresConnection)
    }

    /// The GRDB connection of an SQLite store; other modules go through the store's methods.
    var database: DatabaseQueue {
        get throws(StoreError) {
            guard case .sqlite(let queue) = backend else {
                throw StoreError(what: "this operation needs an SQLite store", where: path,
                                 fix: "run it on a store file (benchmarks and drills edit a store of their own)")
            }
            return queue
        }
    }

    /// Opens an existing store: a file path, or a `postgresql://` URL. Throws ``StoreError``
    /// when the file is missing, is not SQLite, or was not created by Propcast (missing or
    /// unknown schema migrations), or the server cannot be used (see ``PostgresStoreSchema``).
    /// - Parameter readOnly: open without write access (default true; batch runs only read).
    public init(path: String, readOnly: Bool = true) throws {
        if let url = PostgresURL(path) {
            self.path = url.masked
            backend = .postgres(try PostgresStoreSchema.connect(url))
            return
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(what: "no such file", where: path,
                             fix: "pass the path of a feature store, or create one with `propcast store seed --store \(path)`")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        do {
            let database = try DatabaseQueue(path: path, configuration: configuration)
            backend = .sqlite(database)
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

    private init(path: String, backend: Backend) {
        self.path = path
        self.backend = backend
    }

    /// Creates a new, empty store at `path` with the current schema. Throws ``StoreError`` if
    /// the file already exists (callers decide about overwriting) or cannot be created. For a
    /// `postgresql://` URL the schema must have been applied and the tables must be empty
    /// (`replacing: true` empties them first).
    public static func create(path: String, replacing: Bool = false) throws -> FeatureStore {
        if let url = PostgresURL(path) {
            let connection = try PostgresStoreSchema.connect(url)
            try PostgresStoreSchema.prepareEmpty(connection, replacing: replacing)
            return FeatureStore(path: url.masked, backend: .postgres(connection))
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(what: "file already exists", where: path,
                             fix: "remove it first or choose another path (the CLI has --force)")
        }
        do {
            let database = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(database)
            return FeatureStore(path: path, backend: .sqlite(database))
        } catch {
            throw StoreError(what: "cannot create the store: \(error)", where: path,
                             fix: "check the directory exists and is writable")
        }
    }

    /// Closes the connection; later calls throw. Safe to call more than once.
    public func close() throws {
        if case .sqlite(let database) = backend { try database.close() }
    }

    /// Runs `body` on a read-only connection, turning GRDB errors into a ``StoreError`` naming
    /// the file and the `operation`.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        let database = try database
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
        let database = try database
        do {
            return try database.write(body)
        } catch {
            throw StoreError(what: "\(operation) failed: \(error)", where: path,
                             fix: "check the store is writable (opened with readOnly: false) and the disk has room, then retry")
        }
    }
}
