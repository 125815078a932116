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
    /// How many group syncs may be in progress at once (default 4). Groups are still written in
    /// order and become durable in order; overlapping syncs let the kernel merge them into one
    /// journal commit when the disk is slow to flush. 1 = strictly one group at a time.
    public var maxSyncsInFlight: Int
    /// How long `open` keeps trying to take the date's lock before reporting that another
    /// batch is running, in milliseconds (default 200).
    public var lockWaitMilliseconds: Int
    /// Where open reports (a cut torn tail) and write failures are logged
    /// (default label `propcast.journal`).
    public var logger: Logger
    /// Called on the I/O thread just before each group's sync (tests hold a sync with it to
    /// see what queues up behind it); nil in production.
    var beforeSync: (@Sendable () -> Void)?

    /// Creates a configuration.
    public init(durability: Durability = .fsync, maxSyncsInFlight: Int = 4, lockWaitMilliseconds: Int = 200,
                logger: Logger = Logger(label: "propcast.journal")) {
        self.lockWaitMilliseconds = lockWaitMilliseconds
        self.durability = durability
        self.maxSyncsInFlight = maxSyncsInFlight
        self.logger = logger
    }
}
