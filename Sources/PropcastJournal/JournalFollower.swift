import Glibc
import PropcastModels

/// `tail -f` for a journal: each ``poll()`` reads what was appended since the last one,
/// verifies every new line (CRC, seq, hash chain, schema) and returns what it found.
/// Copes with the file not existing yet, being truncated (a writer cutting a torn tail) or
/// replaced; records already returned are not returned again after such a restart.
public struct JournalFollower: Sendable {
    /// Something the follower saw.
    public enum Event: Sendable, Hashable {
        /// A new valid record and its line's JSON text as written.
        case record(JournalRecord, json: String)
        /// The newest line fails its CRC: a torn tail if nothing follows (the next writer cuts it),
        /// corruption if more lines arrive.
        case suspect(JournalDefect)
        /// The journal is corrupt; nothing after `defect.line` is read.
        case corrupt(JournalDefect)
        /// The file shrank or was replaced; reading restarts from its beginning.
        case restarted(reason: String)
    }

    /// The followed file.
    public let path: String
    /// The journal's date.
    public let date: GameDate
    /// The scan state after the last valid record, and where that record's line ends: every
    /// poll re-reads from there, so a partial or torn last line that a writer cuts and
    /// overwrites between two polls is read afresh.
    private var committedOffset = 0
    private var committedScanner: JournalScanner
    private var inode: ino_t?
    private var lastSeq: UInt64 = 0
    private var reportedSuspect: JournalDefect?
    private var isCorrupt = false

    /// Follows `date`'s journal at `path` (which may not exist yet) from its beginning.
    public init(path: String, date: GameDate) {
        self.path = path
        self.date = date
        committedScanner = JournalScanner(date: date)
    }

    /// Whether corruption was found (later polls return nothing new).
    public var stopped: Bool { isCorrupt }

    /// Reads whatever is new. Throws ``JournalError/io(path:operation:errno:)`` when the file
    /// exists but cannot be read; a missing file yields no events.
    public mutating func poll() throws -> [Event] {
        guard !isCorrupt else { return [] }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw JournalError.io(path: path, operation: "open", errno: errno)
        }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError.io(path: path, operation: "stat", errno: errno) }
        var events: [Event] = []
        let size = Int(info.st_size)
        if let inode, inode != info.st_ino {
            restart()
            events.append(.restarted(reason: "\(path) was replaced"))
        } else if size < committedOffset {
            restart()
            events.append(.restarted(reason: "\(path) shrank to \(size) bytes"))
        }
        inode = info.st_ino
        guard size > committedOffset else { return events }
        var chunk = [UInt8](repeating: 0, count: size - committedOffset)
        let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(committedOffset)) }
        guard count >= 0 else { throw JournalError.io(path: path, operation: "read", errno: errno) }
        var splitter = JournalLineSplitter()
        splitter.append(chunk[0..<count])
        var scanner = committedScanner
        while let line = splitter.nextLine() {
            switch scanner.scan(line: line) {
            case .record(let record):
                committedScanner = scanner
                committedOffset += line.count + 1
                reportedSuspect = nil
                if record.seq > lastSeq {
                    lastSeq = record.seq
                    events.append(.record(record, json: String(decoding: line.dropFirst(9), as: UTF8.self)))
                }
            case .suspect(let defect):
                if reportedSuspect != defect { events.append(.suspect(defect)) }
                reportedSuspect = defect
            case .corrupt(let defect):
                isCorrupt = true
                events.append(.corrupt(defect))
                return events
            }
        }
        return events
    }

    private mutating func restart() {
        committedOffset = 0
        committedScanner = JournalScanner(date: date)
        reportedSuspect = nil
    }
}
