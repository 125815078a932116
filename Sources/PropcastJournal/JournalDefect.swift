/// Why one line of a journal is not acceptable, with its 1-based line number.
public struct JournalDefect: Sendable, Hashable, Error, CustomStringConvertible {
    /// What is wrong with the line.
    public enum Kind: Error, Sendable, Hashable {
        /// The line is not `<8 hex> <json>`.
        case malformed(String)
        /// The stored CRC does not match the JSON bytes.
        case crcMismatch(stored: UInt32, computed: UInt32)
        /// The CRC matches but the JSON does not decode as a record.
        case schema(String)
        /// `seq` is not the previous seq + 1 (a line was removed, repeated or moved).
        case seqOutOfOrder(expected: UInt64, found: UInt64)
        /// `prev` is not the SHA-256 of the previous line (a line was edited, removed or moved).
        case chainBroken(expected: String, found: String)
        /// The record belongs to another game date.
        case wrongDate(String)
        /// A prediction's id is not the one derived from its fields.
        case predictionIDMismatch(stored: String, derived: String)
        /// The file ends without a newline: a write was cut short.
        case unterminated(byteCount: Int)
        /// A `batch_finished` whose counts differ from the records before it.
        case countsMismatch(String)
        /// A prediction id journaled again while its earlier record is still current.
        case duplicatePrediction(String)
    }

    /// 1-based line number in the file.
    public var line: Int
    /// What is wrong.
    public var kind: Kind

    /// Creates a defect.
    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    /// `line 17: CRC mismatch (stored 1a2b3c4d, computed 99aa00bb) — the line was altered`.
    public var description: String { "line \(line): \(kind)" }
}

extension JournalDefect.Kind: CustomStringConvertible {
    /// What is wrong and what it usually means.
    public var description: String {
        switch self {
        case .malformed(let why):
            "malformed line (\(why)); expected `<crc32c 8 hex> <json>`"
        case .crcMismatch(let stored, let computed):
            "CRC mismatch (stored \(hex(stored)), computed \(hex(computed))): the line was altered or only partly written"
        case .schema(let why):
            "record does not match the schema: \(why)"
        case .seqOutOfOrder(let expected, let found):
            "seq \(found) where \(expected) was expected: a line was removed, repeated or moved"
        case .chainBroken(let expected, let found):
            "prev \(found.prefix(16))… is not the hash of the previous line (\(expected.prefix(16))…): "
                + "the previous line was edited, removed or moved"
        case .wrongDate(let why):
            "record for the wrong date: \(why)"
        case .predictionIDMismatch(let stored, let derived):
            "prediction_id \(stored) is not the id derived from the row's fields (\(derived))"
        case .unterminated(let byteCount):
            "last line is incomplete (\(byteCount) bytes without a newline): a write was cut short"
        case .countsMismatch(let why):
            "batch_finished counts do not match the records before it: \(why); the record was edited"
        case .duplicatePrediction(let id):
            "prediction \(id) is journaled again while its earlier record is current (not superseded)"
        }
    }

    private func hex(_ value: UInt32) -> String {
        String(decoding: JournalLine.hex8(value), as: UTF8.self)
    }
}
