import PropcastModels
import PropcastStore

/// Fills a new feature store with a deterministic synthetic season (see ``StoreSeedConfiguration``).
///
/// The same configuration always yields the same rows in the same order, hence the same file
/// bytes. Everything is written in one transaction with prepared statements.
public struct StoreSeeder: Sendable {
    /// What to generate.
    public var configuration: StoreSeedConfiguration

    /// Creates a seeder for `configuration`.
    public init(configuration: StoreSeedConfiguration) {
        self.configuration = configuration
    }

    /// Creates the store file at `path` (which must not exist), or fills the tables of a
    /// `postgresql://` store (which must be empty unless `replacing`), and returns what it now
    /// holds. Throws ``StoreError`` for a bad configuration, an existing file or rows, or a write
    /// failure, and `PostgresError` when the server cannot be used.
    @discardableResult
    public func seed(path: String, replacing: Bool = false) throws -> StoreInfo {
        var simulator = try SeasonSimulator(configuration: configuration)
        let store = try FeatureStore.create(path: path, replacing: replacing)
        defer { try? store.close() }
        try store.writeRows { writer in
            try simulator.run { day in
                try writer.write(date: day.date, features: day.features, contexts: day.contexts, results: day.results)
            }
        }
        return try store.info()
    }
}
