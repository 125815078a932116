import Logging

/// How a ``JournalWriter`` behaves. Defaults are the production settings.
public struct JournalConfiguration: Sendable {
    /// When an appended record counts as durable.
    public enum Durability: String, Sendable, CaseIterable {
        /// Default: each group of records is written with one `write` and made durable with one
        /// `fdatasync` before any `append` in the group returns.
        case fsync
        /// BENCHMARKS ONLY: `append` returns after `write`; nothing is synced, so a power loss
        /// can lose records that were reported as written.
        case none
    }

    /// When records count as durable (default ``Durability/fsync``).
    public var durability: Durability
    /// Where open reports (a cut torn tail) and write failures are logged
    /// (default label `propcast.journal`).
    public var logger: Logger

    /// Creates a configuration.
    public init(durability: Durability = .fsync, logger: Logger = Logger(label: "propcast.journal")) {
        self.durability = durability
        self.logger = logger
    }
}
