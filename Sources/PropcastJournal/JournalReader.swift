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
    }

    /// Reads `date`'s journal at `path`; a missing file reads as an empty, clean journal.
    /// Throws ``JournalError/fileSystem(path:operation:reason:)`` when the file exists but cannot be read.
    public static func read(path: String, date: GameDate, keepRecords: Bool = true) throws -> Contents {
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
        return scan(bytes: bytes, path: path, date: date, keepRecords: keepRecords)
    }

    /// Verifies journal bytes already in memory (`path` only names them in results).
    public static func scan(bytes: [UInt8], path: String, date: GameDate, keepRecords: Bool = true) -> Contents {
        var splitter = JournalLineSplitter()
        splitter.append(bytes)
        var scanner = JournalScanner(date: date)
        var records: [JournalRecord] = []
        var index = JournalIndex()
        scanning: while let line = splitter.nextLine() {
            switch scanner.scan(line: line) {
            case .record(let record):
                index.add(record)
                if keepRecords { records.append(record) }
            case .suspect:
                continue
            case .corrupt:
                break scanning
            }
        }
        let verdict = scanner.finish(unterminatedByteCount: splitter.unterminatedByteCount)
        return Contents(path: path, records: records, index: index, verdict: verdict, fileSize: bytes.count)
    }
}
