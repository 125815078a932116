import Dispatch
import Glibc
import Logging
import PropcastModels
import Synchronization

/// The I/O half of ``JournalWriter``: sealed lines queue up in `pending`; I/O jobs on a
/// concurrent dispatch queue take whatever is pending as one group, `write` it (in group
/// order, under the lock) and `fdatasync` outside the lock, so up to
/// ``JournalConfiguration/maxSyncsInFlight`` syncs overlap (the kernel merges concurrent syncs
/// of one file into one journal commit). A group is durable once a sync that started after its
/// write returned; groups become durable — index updated, appenders resumed — strictly in
/// order. A job that finished takes the next pending group itself, with no hop back to the
/// actor. Owns the journal and lock descriptors.
final class GroupCommitter: Sendable {
    /// State shared by the actor and the I/O jobs.
    struct State: Sendable {
        /// Lines accepted but not yet written.
        var pending = PendingGroup()
        /// Groups written but not yet known durable, oldest first.
        var unsynced: [(number: UInt64, group: PendingGroup)] = []
        var nextGroupNumber: UInt64 = 1
        /// I/O jobs running.
        var jobs = 0
        /// Everything durable.
        var index: JournalIndex
        /// Prediction ids accepted into a group that is not durable yet.
        var inFlightIDs: Set<PredictionID> = []
        /// Set by the first failed write or sync; nothing is written after it.
        var failure: JournalError?
        var statistics = JournalWriterStatistics()
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var filesClosed = false
    }

    private let state: Mutex<State>
    private let fd: Int32
    private let lockFD: Int32
    private let path: String
    private let durability: JournalConfiguration.Durability
    private let maxJobs: Int
    private let logger: Logger
    private let queue: DispatchQueue
    private let beforeSync: (@Sendable () -> Void)?

    init(opened: OpenedJournal, path: String, configuration: JournalConfiguration) {
        state = Mutex(State(index: opened.index))
        fd = opened.fd
        lockFD = opened.lockFD
        self.path = path
        durability = configuration.durability
        maxJobs = max(1, configuration.maxSyncsInFlight)
        logger = configuration.logger
        queue = DispatchQueue(label: "propcast.journal.io", attributes: .concurrent)
        beforeSync = configuration.beforeSync
    }

    deinit {
        closeFiles()
    }

    /// Records accepted and not yet written.
    var pendingRecords: Int { state.withLock { $0.pending.lines.count } }

    /// Runs `body` with the shared state locked.
    func withState<T: Sendable>(_ body: (inout State) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }

    /// Adds sealed lines (and the waiter that returns when they are durable) to the next group;
    /// starts an I/O job when fewer than the maximum are running.
    func enqueue(_ lines: [SealedLine], waiter: CheckedContinuation<Void, any Error>) {
        enum Next: Sendable { case queued, startJob, refuse(JournalError) }
        let next = state.withLock { state -> Next in
            if let failure = state.failure {
                return .refuse(.writerFailed(path: path, cause: failure.description))
            }
            for line in lines { state.pending.add(line) }
            state.pending.waiters.append(waiter)
            guard state.jobs < maxJobs else { return .queued }
            state.jobs += 1
            return .startJob
        }
        switch next {
        case .queued: break
        case .startJob: queue.async { self.runJob() }
        case .refuse(let error): waiter.resume(throwing: error)
        }
    }

    /// Returns once no I/O job is running.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                guard state.jobs > 0 else { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Closes the journal and releases the date's lock (once).
    func closeFiles() {
        let close = state.withLock { state -> Bool in
            defer { state.filesClosed = true }
            return !state.filesClosed
        }
        if close {
            Glibc.close(fd)
            JournalLock.release(lockFD)
        }
    }

    /// One I/O job: take the pending group, write it, sync, release what became durable; repeat.
    private func runJob() {
        while let number = writeNextGroup() {
            do {
                beforeSync?()
                if durability == .fsync { try JournalFileIO.sync(fd, path: path) }
                release(upTo: number)
            } catch {
                fail(error)
            }
        }
    }

    /// Under the lock: writes the pending group (so writes keep group order) and returns its
    /// number; nil (and the job ends) when nothing is pending or the writer failed.
    private func writeNextGroup() -> UInt64? {
        let (number, idle, failure) = state.withLock { state -> (UInt64?, [CheckedContinuation<Void, Never>], (any Error)?) in
            guard state.failure == nil, !state.pending.waiters.isEmpty else {
                state.jobs -= 1
                guard state.jobs == 0 else { return (nil, [], nil) }
                defer { state.idleWaiters = [] }
                return (nil, state.idleWaiters, nil)
            }
            let group = state.pending
            state.pending = PendingGroup()
            do {
                if !group.bytes.isEmpty { try JournalFileIO.writeAll(fd, group.bytes, path: path) }
            } catch {
                state.unsynced.append((0, group))  // failed with the rest below
                state.jobs -= 1
                return (nil, [], error)
            }
            let number = state.nextGroupNumber
            state.nextGroupNumber += 1
            state.unsynced.append((number, group))
            return (number, [], nil)
        }
        for waiter in idle { waiter.resume() }
        if let failure { fail(failure, jobEnded: true) }
        return number
    }

    /// Marks every written group up to `number` durable, in order.
    private func release(upTo number: UInt64) {
        let durable = state.withLock { state -> [PendingGroup] in
            var durable: [PendingGroup] = []
            while let first = state.unsynced.first, first.number <= number {
                state.unsynced.removeFirst()
                for line in first.group.lines {
                    state.index.add(line.entry, timestamp: line.timestamp)
                    if let id = line.entry.predictionID { state.inFlightIDs.remove(id) }
                }
                if !first.group.bytes.isEmpty {
                    state.statistics.groups += 1
                    state.statistics.records += UInt64(first.group.lines.count)
                    state.statistics.bytes += UInt64(first.group.bytes.count)
                }
                durable.append(first.group)
            }
            if durability == .fsync { state.statistics.syncs += 1 }
            return durable
        }
        for group in durable {
            for waiter in group.waiters { waiter.resume() }
        }
    }

    /// After a failed write or sync nothing not yet durable can be trusted: every waiting
    /// appender gets the error and the writer refuses further appends.
    private func fail(_ error: any Error, jobEnded: Bool = false) {
        let failure = (error as? JournalError) ?? .fileSystem(path: path, operation: "write", reason: "\(error)")
        let (first, abandoned, idle) = state.withLock { state -> (Bool, [PendingGroup], [CheckedContinuation<Void, Never>]) in
            let first = state.failure == nil
            if first { state.failure = failure }
            let abandoned = state.unsynced.map(\.group) + [state.pending]
            state.unsynced = []
            state.pending = PendingGroup()
            guard jobEnded, state.jobs == 0 else { return (first, abandoned, []) }
            defer { state.idleWaiters = [] }
            return (first, abandoned, state.idleWaiters)
        }
        if first { logger.error("\(failure)") }
        let cause = JournalError.writerFailed(path: path, cause: failure.description)
        for group in abandoned {
            for waiter in group.waiters { waiter.resume(throwing: first ? failure : cause) }
        }
        for waiter in idle { waiter.resume() }
    }
}

/// One sealed record line waiting to be written.
struct SealedLine: Sendable {
    /// The line without its newline.
    var bytes: [UInt8]
    var entry: JournalEntry
    var timestamp: String
}

/// Lines accepted but not yet written: one `write` + one sync.
struct PendingGroup: Sendable {
    var bytes: [UInt8] = []
    var lines: [SealedLine] = []
    var waiters: [CheckedContinuation<Void, any Error>] = []

    mutating func add(_ line: SealedLine) {
        bytes.append(contentsOf: line.bytes)
        bytes.append(UInt8(ascii: "\n"))
        lines.append(SealedLine(bytes: [], entry: line.entry, timestamp: line.timestamp))
    }
}
