import Dispatch
import Foundation
import Glibc
import PropcastModels

/// The only writer of one date's journal (an actor). Records submitted while a write is in
/// progress are gathered into the next group, which is written with one `write` and made
/// durable with one `fdatasync`; ``append(_:)`` returns only once its records are durable.
/// Predictions whose id is already journaled are not written again.
///
/// Blocking file calls run on a private dispatch queue, never on the actor or the
/// cooperative thread pool.
public actor JournalWriter {
    /// The journal's date.
    public nonisolated let date: GameDate
    /// The journal file.
    public nonisolated let path: String
    /// What opening found (records, a cut torn tail).
    public nonisolated let openReport: JournalOpenReport

    private let configuration: JournalConfiguration
    private let fd: Int32
    private let lockFD: Int32
    private let ioQueue: DispatchQueue
    private var nextSeq: UInt64
    private var lastHash: String
    private var durableIndex: JournalIndex
    /// Prediction ids accepted into a group that is not durable yet.
    private var reserved: Set<PredictionID> = []
    private var pending = PendingGroup()
    private var flushing = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var failure: JournalError?
    private var isClosed = false
    /// Counters since open.
    public private(set) var statistics = JournalWriterStatistics()

    private init(date: GameDate, path: String, report: JournalOpenReport, configuration: JournalConfiguration,
                 fd: Int32, lockFD: Int32, ioQueue: DispatchQueue, position: JournalScanPosition, index: JournalIndex) {
        self.date = date
        self.path = path
        self.openReport = report
        self.configuration = configuration
        self.fd = fd
        self.lockFD = lockFD
        self.ioQueue = ioQueue
        self.nextSeq = position.lastSeq + 1
        self.lastHash = position.lastHash
        self.durableIndex = index
    }

    deinit {
        if !isClosed {
            Glibc.close(fd)
            JournalLock.release(lockFD)
        }
    }

    /// Opens `date`'s journal in `directory` for writing: takes the date's lock, verifies the
    /// file, cuts a torn last record (reported in ``openReport`` and logged) and rebuilds the
    /// id index. Creates the directory and file when missing.
    ///
    /// Throws ``JournalError/locked(date:pid:lockPath:)`` when another writer holds the date,
    /// ``JournalError/corrupt(path:defect:)`` when a line before the end is bad, and
    /// ``JournalError/io(path:operation:errno:)`` for file-system failures.
    public static func open(directory: String, date: GameDate,
                            configuration: JournalConfiguration = .init()) async throws -> JournalWriter {
        let ioQueue = DispatchQueue(label: "propcast.journal.\(date)")
        let opened = try await ioQueue.run {
            try OpenedJournal.open(directory: JournalDirectory(directory), date: date)
        }
        if opened.report.cutTail != nil {
            configuration.logger.warning("\(opened.report)")
        } else {
            configuration.logger.debug("\(opened.report)")
        }
        return JournalWriter(date: date, path: opened.report.path, report: opened.report,
                             configuration: configuration, fd: opened.fd, lockFD: opened.lockFD,
                             ioQueue: ioQueue, position: opened.position, index: opened.index)
    }

    /// Appends records, returning one outcome per record in order once all are durable.
    /// A prediction already journaled (or being journaled by a concurrent call) yields
    /// ``AppendOutcome/alreadyJournaled(_:)`` and is not written again.
    ///
    /// Throws ``JournalError/invalidEntry(_:)`` for a record of another date or a prediction
    /// whose id is not derived from its fields (nothing of the call is written then), and
    /// ``JournalError/writerFailed(path:cause:)`` / ``JournalError/io(path:operation:errno:)``
    /// when the write or sync fails; after a failure the writer refuses further appends.
    public nonisolated func append(_ entries: [JournalEntry]) async throws -> [AppendOutcome] {
        let dateText = date.description
        let encoded = try entries.map { try EncodedEntry($0, journalDate: date, dateText: dateText) }
        return try await submit(encoded)
    }

    /// Appends one record; see ``append(_:)``.
    public nonisolated func append(_ entry: JournalEntry) async throws -> AppendOutcome {
        try await append([entry])[0]
    }

    /// Appends prediction rows; see ``append(_:)``.
    public nonisolated func appendPredictions(_ rows: [PredictionRow]) async throws -> [AppendOutcome] {
        try await append(rows.map(JournalEntry.prediction))
    }

    /// The index of everything durable in the journal.
    public var index: JournalIndex { durableIndex }

    /// The seq of the last record handed to the writer (durable or in flight); 0 when empty.
    public var lastSeq: UInt64 { nextSeq - 1 }

    /// The ids of `expected` not yet durable in the journal.
    public func missingPredictionIDs(_ expected: Set<PredictionID>) -> Set<PredictionID> {
        durableIndex.missingPredictionIDs(expected)
    }

    /// The players of `expected` with every expected id durable, or skipped as a whole.
    public func completePlayers(expected: [PlayerLookup: Set<PredictionID>]) -> Set<PlayerLookup> {
        durableIndex.completePlayers(expected: expected)
    }

    /// Waits for in-flight groups, then closes the file and releases the date's lock.
    /// Appends after `close` throw ``JournalError/closed(path:)``.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        while flushing {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
        Glibc.close(fd)
        JournalLock.release(lockFD)
    }

    private func submit(_ encoded: [EncodedEntry]) async throws -> [AppendOutcome] {
        if let failure { throw JournalError.writerFailed(path: path, cause: failure.description) }
        if isClosed { throw JournalError.closed(path: path) }
        let timestamp = JournalTimestamp.now()
        var outcomes: [AppendOutcome] = []
        outcomes.reserveCapacity(encoded.count)
        var mustWait = false
        for item in encoded {
            if let id = item.predictionID {
                if durableIndex.contains(id) {
                    outcomes.append(.alreadyJournaled(id))
                    continue
                }
                if reserved.contains(id) {
                    outcomes.append(.alreadyJournaled(id))
                    mustWait = true  // return only once the copy in flight is durable
                    continue
                }
                reserved.insert(id)
            }
            let line = JournalLine.seal(seq: nextSeq, prev: lastHash, timestamp: timestamp, type: item.entry.type,
                                        payload: item.payload)
            lastHash = JournalLine.hash(line)
            pending.add(line: line, entry: item.entry, timestamp: timestamp)
            outcomes.append(.written(seq: nextSeq))
            nextSeq += 1
            mustWait = true
        }
        guard mustWait else { return outcomes }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.waiters.append(continuation)
            startFlushingIfIdle()
        }
        return outcomes
    }

    private func startFlushingIfIdle() {
        guard !flushing else { return }
        flushing = true
        Task { await self.flushGroups() }
    }

    /// Writes groups until none is pending; the actor stays free for new submissions meanwhile.
    private func flushGroups() async {
        while !pending.waiters.isEmpty {
            let group = pending
            pending = PendingGroup()
            do {
                if !group.bytes.isEmpty {
                    try await writeAndSync(group.bytes)
                    statistics.groups += 1
                    statistics.records += UInt64(group.entries.count)
                    statistics.bytes += UInt64(group.bytes.count)
                    if configuration.durability == .fsync { statistics.syncs += 1 }
                }
                for (entry, timestamp) in group.entries {
                    durableIndex.add(entry, timestamp: timestamp)
                    if let id = entry.predictionID { reserved.remove(id) }
                }
                for waiter in group.waiters { waiter.resume() }
            } catch {
                let failure = (error as? JournalError) ?? .fileSystem(path: path, operation: "write", reason: "\(error)")
                self.failure = failure
                configuration.logger.error("\(failure)")
                for waiter in group.waiters { waiter.resume(throwing: failure) }
                let later = JournalError.writerFailed(path: path, cause: failure.description)
                for waiter in pending.waiters { waiter.resume(throwing: later) }
                pending = PendingGroup()
            }
        }
        flushing = false
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private nonisolated func writeAndSync(_ bytes: [UInt8]) async throws {
        let (fd, path, durability) = (self.fd, self.path, configuration.durability)
        try await ioQueue.run {
            try JournalFileIO.writeAll(fd, bytes, path: path)
            if durability == .fsync { try JournalFileIO.sync(fd, path: path) }
        }
    }
}

/// Records accepted but not yet written: one `write` + one sync.
private struct PendingGroup {
    var bytes: [UInt8] = []
    var entries: [(JournalEntry, String)] = []
    var waiters: [CheckedContinuation<Void, any Error>] = []

    mutating func add(line: [UInt8], entry: JournalEntry, timestamp: String) {
        bytes.append(contentsOf: line)
        bytes.append(UInt8(ascii: "\n"))
        entries.append((entry, timestamp))
    }
}

extension DispatchQueue {
    /// Runs blocking `work` on this queue and awaits its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            self.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
