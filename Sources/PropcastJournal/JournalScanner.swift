import Foundation
import PropcastModels

/// The recovery and verification scan as a value-type state machine: feed it the file's
/// complete lines in order (without their newlines), then ``finish(unterminatedByteCount:)``.
///
/// Rules (Protocols/JOURNAL.md, "Recovery"):
/// - every line must pass its CRC, decode as a record of this date, and continue `seq` and the
///   hash chain;
/// - only the end of the file may be torn: bytes after the last newline, or a final
///   newline-terminated line that fails its CRC or framing, are a *torn tail* that a writer cuts —
///   unless that line holds two record starts (`{"seq":`), i.e. a newline was removed;
/// - anything bad with a line after it is *corruption*, reported with its line number and
///   never cut.
public struct JournalScanner: Sendable {
    /// What one fed line turned out to be.
    public enum Step: Sendable, Hashable {
        /// A valid record.
        case record(JournalRecord)
        /// The line fails its CRC or framing; it is a torn tail if nothing follows it, else corruption.
        case suspect(JournalDefect)
        /// The journal is corrupt at `defect.line`; later lines are not examined.
        case corrupt(JournalDefect)
    }

    /// The outcome of a whole scan.
    public enum Verdict: Sendable, Hashable {
        /// Every line is valid.
        case clean(JournalScanPosition)
        /// The valid prefix ends at `position`; `torn` describes the cut-short record after it.
        case tornTail(JournalScanPosition, torn: JournalDefect)
        /// A bad line with valid-looking content after it.
        case corrupt(JournalDefect)
    }

    private enum State: Sendable, Hashable {
        case expecting
        case holdingSuspect(JournalDefect)
        case failed(JournalDefect)
    }

    /// The journal's date; every record must belong to it.
    public let date: GameDate
    private let dateText: String
    private var state = State.expecting
    private var linesSeen = 0
    /// The previous record's `ts` (timestamps never go back).
    private var lastTimestamp = ""
    /// The end of the valid prefix so far.
    public private(set) var position: JournalScanPosition

    /// A scanner for an empty journal of `date`.
    public init(date: GameDate) {
        self.date = date
        dateText = date.description
        position = JournalScanPosition(byteCount: 0, lastSeq: 0, lastHash: JournalLine.genesisHash(for: date))
    }

    /// Feeds the next complete line (without its newline).
    public mutating func scan(line: ArraySlice<UInt8>) -> Step {
        linesSeen += 1
        switch state {
        case .failed(let defect):
            return .corrupt(defect)
        case .holdingSuspect(let defect):
            state = .failed(defect)
            return .corrupt(defect)
        case .expecting:
            break
        }
        let json: ArraySlice<UInt8>
        switch JournalLine.unframe(line) {
        case .failure(let kind):
            if Self.recordStarts(in: line) > 1 {
                // `{"seq":` can only occur unescaped where a record begins: a removed newline, not a torn write.
                let defect = JournalDefect(line: linesSeen, kind: .malformed("two records on one line (a newline was removed)"))
                state = .failed(defect)
                return .corrupt(defect)
            }
            let defect = JournalDefect(line: linesSeen, kind: kind)
            state = .holdingSuspect(defect)
            return .suspect(defect)
        case .success(let body):
            json = body
        }
        switch validate(json: json) {
        case .failure(let kind):
            let defect = JournalDefect(line: linesSeen, kind: kind)
            state = .failed(defect)
            return .corrupt(defect)
        case .success(let record):
            lastTimestamp = record.timestamp
            position = JournalScanPosition(byteCount: position.byteCount + line.count + 1, lastSeq: record.seq,
                                           lastHash: JournalLine.hash(line))
            return .record(record)
        }
    }

    /// Ends the scan; `unterminatedByteCount` is how many bytes follow the last newline.
    public func finish(unterminatedByteCount: Int) -> Verdict {
        switch state {
        case .failed(let defect):
            return .corrupt(defect)
        case .holdingSuspect(let defect):
            return unterminatedByteCount > 0 ? .corrupt(defect) : .tornTail(position, torn: defect)
        case .expecting:
            guard unterminatedByteCount > 0 else { return .clean(position) }
            let torn = JournalDefect(line: linesSeen + 1, kind: .unterminated(byteCount: unterminatedByteCount))
            return .tornTail(position, torn: torn)
        }
    }

    private func validate(json: ArraySlice<UInt8>) -> Result<JournalRecord, JournalDefect.Kind> {
        let record: JournalRecord
        if let plain = JournalRecord(plainPrediction: json) {
            record = plain
        } else {
            do {
                record = try JSONDecoder().decode(JournalRecord.self, from: Data(json))
            } catch {
                return .failure(.schema(Self.describe(error)))
            }
        }
        guard record.seq == position.lastSeq + 1 else {
            return .failure(.seqOutOfOrder(expected: position.lastSeq + 1, found: record.seq))
        }
        guard record.prev == position.lastHash else {
            return .failure(.chainBroken(expected: position.lastHash, found: record.prev))
        }
        guard JournalTimestamp.isValid(record.timestamp) else {
            return .failure(.schema("ts '\(record.timestamp)' is not YYYY-MM-DDTHH:MM:SS.mmmZ"))
        }
        guard record.timestamp >= lastTimestamp else {
            return .failure(.schema("ts \(record.timestamp) is before the previous record's \(lastTimestamp)"))
        }
        if let problem = JournalValueRules.problem(in: record.entry) {
            return .failure(.schema(problem))
        }
        switch record.entry {
        case .prediction(let row):
            guard row.gameDate == date else {
                return .failure(.wrongDate("prediction for \(row.gameDate) in the \(date) journal"))
            }
            let derived = PredictionID(deriving: row, gameDateText: dateText)
            guard derived == row.predictionID else {
                return .failure(.predictionIDMismatch(stored: row.predictionID.description,
                                                      derived: derived.description))
            }
        case .batchStarted(let started):
            guard started.gameDate == date else {
                return .failure(.wrongDate("batch_started for \(started.gameDate) in the \(date) journal"))
            }
        case .playerSkipped, .playerFailed, .attemptFailed, .superseded, .batchFinished:
            break
        }
        return .success(record)
    }

    private static let recordStart = Array("{\"seq\":".utf8)

    private static func recordStarts(in line: ArraySlice<UInt8>) -> Int {
        var count = 0
        var index = line.startIndex
        while let start = line[index...].firstIndex(of: recordStart[0]) {
            if line[start...].starts(with: recordStart) { count += 1 }
            index = start + 1
        }
        return count
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "field '\(path)': \(context.debugDescription)"
        @unknown default: return "\(decoding)"
        }
    }
}

/// The end of a journal's valid prefix.
public struct JournalScanPosition: Sendable, Hashable {
    /// Bytes from the start of the file to the end of the last valid line's newline.
    public var byteCount: Int
    /// The last valid record's seq (0 for an empty journal).
    public var lastSeq: UInt64
    /// SHA-256 hex of the last valid line (the genesis hash for an empty journal): the next `prev`.
    public var lastHash: String

    /// Creates a position.
    public init(byteCount: Int, lastSeq: UInt64, lastHash: String) {
        self.byteCount = byteCount
        self.lastSeq = lastSeq
        self.lastHash = lastHash
    }
}
