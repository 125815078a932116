import Dispatch
import PropcastModels

/// The only writer of one date's journal (an actor). It checks and encodes records on the
/// caller's task, assigns `seq`/`prev` and seals lines; ``GroupCommitter`` writes whatever
/// accumulated as one group (one `write`) and makes it durable with one `fdatasync`, overlapping
/// up to ``JournalConfiguration/maxSyncsInFlight`` syncs. ``append(_:)`` returns only once its
/// records are durable. Predictions whose id is already journaled are not written again.
///
/// Blocking file calls run on a private dispatch queue, never on the actor or the cooperative
/// thread pool.
public actor JournalWriter {
    /// The journal's date.
    public nonisolated let date: GameDate
    /// The journal file.
    public nonisolated let path: String
    /// What opening found (records, a cut torn tail).
    public nonisolated let openReport: JournalOpenReport

    nonisolated let committer: GroupCommitter
    private var nextSeq: UInt64
    private var lastHash: String
    /// The last record's `ts`: a clock stepped back does not make the journal go back in time.
    private var lastTimestamp: String
    private var isClosed = false

    private init(date: GameDate, opened: OpenedJournal, committer: GroupCommitter) {
        self.date = date
        self.path = opened.report.path
        self.openReport = opened.report
        self.committer = committer
        self.nextSeq = opened.position.lastSeq + 1
        self.lastHash = opened.position.lastHash
        self.lastTimestamp = opened.index.lastTimestamp ?? ""
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
        let opened = try await DispatchQueue.global().run {
            try OpenedJournal.open(directory: JournalDirectory(directory), date: date,
                                   lockWaitMilliseconds: configuration.lockWaitMilliseconds)
        }
        if opened.report.cutTail != nil {
            configuration.logger.warning("\(opened.report)")
        } else {
            configuration.logger.debug("\(opened.report)")
        }
        let committer = GroupCommitter(opened: opened, path: opened.report.path, configuration: configuration)
        return JournalWriter(date: date, opened: opened, committer: committer)
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
        try await append(groups: [entries])[0].get()
    }

    /// Appends several independent groups of records (e.g. the answers of one request frame)
    /// in one commit: each group is checked on its own — an invalid one is refused with
    /// ``JournalError/invalidEntry(_:)`` and nothing of it is written, without touching the
    /// others — and the valid ones are written together and made durable by one sync.
    /// Returns one result per group, in order: its outcomes, or why it was not written.
    public nonisolated func append(groups: [[JournalEntry]]) async -> [Result<[AppendOutcome], any Error>] {
        let dateText = date.description
        var results: [Result<[AppendOutcome], any Error>?] = Array(repeating: nil, count: groups.count)
        var encoded: [EncodedEntry] = []
        var spans: [(group: Int, range: Range<Int>)] = []
        for (group, entries) in groups.enumerated() {
            do {
                let items = try entries.map { try EncodedEntry($0, journalDate: date, dateText: dateText) }
                spans.append((group, encoded.count..<encoded.count + items.count))
                encoded += items
            } catch {
                results[group] = .failure(error)
            }
        }
        if !encoded.isEmpty {
            do {
                let outcomes = try await submit(encoded)
                for span in spans { results[span.group] = .success(Array(outcomes[span.range])) }
            } catch {
                for span in spans { results[span.group] = .failure(error) }
            }
        }
        return results.map { $0 ?? .success([]) }
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
    public var index: JournalIndex { committer.withState { $0.index } }

    /// Runs `body` on the index of everything durable, under the writer's lock (no copy of
    /// the index is made; keep `body` short).
    public nonisolated func read<T: Sendable>(_ body: (JournalIndex) -> T) -> T {
        committer.withState { body($0.index) }
    }

    /// From now on the writer's ``index`` keeps ids and per-player counts of current
    /// predictions but not their rows (``JournalIndex/dropCurrentRows()``): for a batch that
    /// took what it needs of the rows at open, so that the index grows by a few bytes per
    /// prediction rather than a row.
    public func dropCurrentRows() {
        committer.withState { $0.index.dropCurrentRows() }
    }

    /// Counters since open (groups, syncs, records, bytes).
    public var statistics: JournalWriterStatistics { committer.withState { $0.statistics } }

    /// The seq of the last record handed to the writer (durable or in flight); 0 when empty.
    public var lastSeq: UInt64 { nextSeq - 1 }

    /// Waits for in-flight groups, then closes the file and releases the date's lock.
    /// Appends after `close` throw ``JournalError/closed(path:)``.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        await committer.waitUntilIdle()
        committer.closeFiles()
    }

    private func submit(_ encoded: [EncodedEntry]) async throws -> [AppendOutcome] {
        if isClosed { throw JournalError.closed(path: path) }
        // Classify under the lock: durable duplicates return at once; duplicates of lines in
        // flight wait for them; new predictions are marked in flight.
        let classified = try committer.withState { state -> [Classification] in
            if let failure = state.failure { throw JournalError.writerFailed(path: path, cause: failure.description) }
            return encoded.map { item in
                guard let id = item.predictionID else { return .new }
                if state.index.isCurrent(id) { return .durable(id) }
                if state.inFlightIDs.contains(id) { return .inFlight(id) }
                state.inFlightIDs.insert(id)
                return .new
            }
        }
        let timestamp = max(JournalTimestamp.now(), lastTimestamp)
        lastTimestamp = timestamp
        var outcomes: [AppendOutcome] = []
        var lines: [SealedLine] = []
        outcomes.reserveCapacity(encoded.count)
        for (item, classification) in zip(encoded, classified) {
            switch classification {
            case .durable(let id), .inFlight(let id):
                outcomes.append(.alreadyJournaled(id))
            case .new:
                let line = JournalLine.seal(seq: nextSeq, prev: lastHash, timestamp: timestamp, type: item.entry.type,
                                            payload: item.payload)
                lastHash = JournalLine.hash(line)
                lines.append(SealedLine(bytes: line, entry: item.entry, timestamp: timestamp))
                outcomes.append(.written(seq: nextSeq))
                nextSeq += 1
            }
        }
        let mustWait = classified.contains { if case .durable = $0 { false } else { true } }
        guard mustWait else { return outcomes }
        // No suspension between sealing and enqueueing: groups keep seq order.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            committer.enqueue(lines, waiter: continuation)
        }
        return outcomes
    }

    private enum Classification: Sendable {
        case new
        case durable(PredictionID)
        case inFlight(PredictionID)
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
