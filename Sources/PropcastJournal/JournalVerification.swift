import Foundation
import PropcastModels

/// `journal verify` for one journal: the verdict of ``JournalReader`` as lines an auditor
/// reads, and, with a head recorded earlier, whether the journal still holds it unchanged.
public struct JournalVerification: Sendable {
    /// A head printed by an earlier verify: `SEQ:SHA256` (the seq and the SHA-256 of its line).
    public struct Head: Sendable, Hashable {
        public var seq: UInt64
        public var sha256: String

        /// Parses `SEQ:SHA256` (64 lowercase hex digits); nil for anything else.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let seq = UInt64(parts[0]), seq > 0, parts[1].count == 64,
                  parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
            self.seq = seq
            sha256 = parts[1]
        }
    }

    /// Whether the journal verified (and holds the expected head, when one was given).
    public let passed: Bool
    /// What to print, one line per finding.
    public let lines: [String]

    /// Reads and verifies the journal of `date` at `path`; throws ``JournalError`` when it
    /// cannot be read at all.
    public init(path: String, date: GameDate, expectedHead: Head? = nil) throws {
        let contents = try JournalReader.read(path: path, date: date, keepRecords: false, anchorSeq: expectedHead?.seq)
        let summary = Self.summary(contents.index)
        var lines: [String]
        var passed: Bool
        switch contents.verdict {
        case .clean(let position):
            passed = true
            lines = ["\(date): OK \(summary); head seq \(position.lastSeq) sha256 \(position.lastHash)"]
        case .tornTail(let position, let torn):
            passed = false
            lines = ["\(date): FAILED \(contents.path) \(torn) — a torn tail after seq \(position.lastSeq) "
                + "(byte \(position.byteCount)); the next writer open cuts it. Valid prefix: \(summary)"]
        case .corrupt(let defect):
            passed = false
            lines = ["\(date): FAILED \(contents.path) \(defect). Records before it: \(summary). "
                + "The journal is damaged before its end; restore it from a copy."]
        }
        if let head = expectedHead, passed {
            if contents.anchorHash == nil {
                lines.append("\(date): FAILED expected head seq \(head.seq) but the journal ends before it: lines were removed")
                passed = false
            } else if contents.anchorHash != head.sha256 {
                lines.append("\(date): FAILED line seq \(head.seq) has sha256 \(contents.anchorHash ?? "-"), "
                             + "expected \(head.sha256): the journal up to that line was rewritten")
                passed = false
            } else {
                lines.append("\(date): expected head seq \(head.seq) sha256 \(head.sha256) is present unchanged")
            }
        }
        self.passed = passed
        self.lines = lines
    }

    private static func summary(_ index: JournalIndex) -> String {
        "\(index.recordCount) records, \(index.countsByType[.prediction] ?? 0) prediction records "
            + "(\(index.currentIDs.count) current), \(index.playersWithPredictions) players with predictions, "
            + "\(index.skippedPlayers.count) skipped, \(index.failedPlayers.count) failed, "
            + "\(index.supersededIDs.count) superseded; batch_finished counts checked; "
            + "first \(index.firstTimestamp ?? "-"), last \(index.lastTimestamp ?? "-")"
    }
}
