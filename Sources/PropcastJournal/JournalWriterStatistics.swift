/// What a ``JournalWriter`` has written since it was opened.
public struct JournalWriterStatistics: Sendable, Hashable {
    /// Records written.
    public var records: UInt64 = 0
    /// Groups written, one `write` each.
    public var groups: UInt64 = 0
    /// `fdatasync` calls (one per group with ``JournalConfiguration/Durability/fsync``, else 0).
    public var syncs: UInt64 = 0
    /// Bytes written.
    public var bytes: UInt64 = 0

    /// Zero counters.
    public init() {}
}
