import Foundation
import PropcastModels

/// Reads and verifies a whole journal file (for `verify`, `export`, `tail` and the writer's open).
public enum JournalReader {
    /// A verified read of one journal.
    public struct Contents: Sendable {
        /// The file read.
        public var path: String
        /// The valid records, in order (empty when `keepRecords` was false).
        public var records: [JournalRecord]
        /// The index of the valid records.
        public var index: JournalIndex
        /// Clean, torn at the end (the valid prefix is in `records`), or corrupt.
        public var verdict: JournalScanner.Verdict
        /// The file's size in bytes.
        public var fileSize: Int
        /// SHA-256 of the line with the `anchorSeq` asked for, when the valid records reach it.
        public var anchorHash: String?
    }

    /// Reads `date`'s journal at `path`; a missing file reads as an empty, clean journal.
    /// Throws ``JournalError/fileSystem(path:operation:reason:)`` when the file exists but cannot be
    /// read, and what `each` throws. `anchorSeq` asks for the hash of that record's line (for
    /// `verify --expect-head`); `each` gets every valid record as it is verified (the verdict on
    /// the lines after it comes only with the contents).
    public static func read(path: String, date: GameDate, keepRecords: Bool = true, anchorSeq: UInt64? = nil,
                            each: (JournalRecord) throws -> Void = { _ in }) throws -> Contents {
        let bytes: [UInt8]
        if FileManager.default.fileExists(atPath: path) {
            do {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw JournalError.fileSystem(path: path, operation: "read", reason: error.localizedDescription)
            }
        } else {
            bytes = []
        }
        return try scan(bytes: bytes, path: path, date: date, keepRecords: keepRecords, anchorSeq: anchorSeq, each: each)
    }

    /// Verifies journal bytes already in memory (`path` only names them in results).
    public static func scan(bytes: [UInt8], path: String, date: GameDate, keepRecords: Bool = true,
                            anchorSeq: UInt64? = nil) -> Contents {
        scan(bytes: bytes, path: path, date: date, keepRecords: keepRecords, anchorSeq: anchorSeq, each: { _ in })
    }

    /// Verifies journal bytes already in memory; `each` as in ``read(path:date:keepRecords:anchorSeq:each:)``.
    public static func scan(bytes: [UInt8], path: String, date: GameDate, keepRecords: Bool = true,
                            anchorSeq: UInt64? = nil, each: (JournalRecord) throws -> Void) rethrows -> Contents {
        var splitter = JournalLineSplitter()
        splitter.append(bytes)
        var scanner = JournalScanner(date: date)
        var records: [JournalRecord] = []
        var index = JournalIndex()
        var conflict: JournalDefect?
        var anchorHash: String?
        scanning: while let line = splitter.nextLine() {
            switch scanner.scan(line: line) {
            case .record(let record):
                if let kind = index.conflict(with: record.entry) {
                    conflict = JournalDefect(line: Int(record.seq), kind: kind)
                    break scanning
                }
                index.add(record)
                if record.seq == anchorSeq { anchorHash = scanner.position.lastHash }
                try each(record)
                if keepRecords { records.append(record) }
            case .suspect:
                continue
            case .corrupt:
                break scanning
            }
        }
        let verdict = conflict.map { JournalScanner.Verdict.corrupt($0) }
            ?? scanner.finish(unterminatedByteCount: splitter.unterminatedByteCount)
        return Contents(path: path, records: records, index: index, verdict: verdict, fileSize: bytes.count,
                        anchorHash: anchorHash)
    }
}
