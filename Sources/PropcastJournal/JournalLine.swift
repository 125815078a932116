import Foundation
import PropcastModels
import PropcastDigest

/// The line format: `<crc32c as 8 lowercase hex> <compact JSON>\n`. The JSON object starts
/// with the envelope in fixed order (`seq`, `prev`, `ts`, `type`) followed by the payload's
/// fields in sorted key order, so the same record always has the same bytes.
public enum JournalLine {
    /// `prev` of record 1: SHA-256 hex of `propcast-journal|<date>`, which ties a journal to its date.
    public static func genesisHash(for date: GameDate) -> String {
        SHA256Digest.hex(Array("propcast-journal|\(date)".utf8))
    }

    /// The SHA-256 hex of a line without its newline: the next record's `prev`.
    public static func hash(_ line: some Collection<UInt8>) -> String {
        SHA256Digest.hex(Array(line))
    }

    /// The payload's JSON members without the surrounding braces, keys sorted.
    /// Throws ``JournalError/invalidEntry(_:)`` for values JSON cannot hold (NaN, infinity).
    public static func encodePayload(_ entry: JournalEntry) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            switch entry {
            case .batchStarted(let payload): data = try encoder.encode(payload)
            case .prediction(let row): data = try encoder.encode(row)
            case .playerSkipped(let payload): data = try encoder.encode(payload)
            case .playerFailed(let payload): data = try encoder.encode(payload)
            case .attemptFailed(let payload): data = try encoder.encode(payload)
            case .superseded(let payload): data = try encoder.encode(payload)
            case .batchFinished(let payload): data = try encoder.encode(payload)
            }
        } catch {
            throw JournalError.invalidEntry("\(entry.type.rawValue) record cannot be encoded as JSON: \(error)")
        }
        var bytes = [UInt8](data)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
            throw JournalError.invalidEntry("\(entry.type.rawValue) payload did not encode as a JSON object")
        }
        bytes.removeLast()
        bytes.removeFirst()
        return bytes
    }

    /// Builds a complete line (without the newline) from an envelope and an encoded payload:
    /// the JSON is written once, after room for the CRC, which is filled in last.
    public static func seal(seq: UInt64, prev: String, timestamp: String, type: JournalRecordType,
                            payload: [UInt8]) -> [UInt8] {
        var line = [UInt8](repeating: UInt8(ascii: " "), count: 9)
        line.reserveCapacity(payload.count + 200)
        func append(_ text: StaticString) { text.withUTF8Buffer { line.append(contentsOf: $0) } }
        append("{\"seq\":")
        line.append(contentsOf: String(seq).utf8)
        append(",\"prev\":\"")
        line.append(contentsOf: prev.utf8)
        append("\",\"ts\":\"")
        line.append(contentsOf: timestamp.utf8)
        append("\",\"type\":\"")
        line.append(contentsOf: type.rawValue.utf8)
        line.append(UInt8(ascii: "\""))
        if !payload.isEmpty {
            line.append(UInt8(ascii: ","))
            line.append(contentsOf: payload)
        }
        line.append(UInt8(ascii: "}"))
        let crc = line.withUnsafeBytes { CRC32C.checksum(buffer: UnsafeRawBufferPointer(rebasing: $0[9...])) }
        for (position, digit) in hex8(crc).enumerated() { line[position] = digit }
        return line
    }

    /// Splits a line into its stored CRC and JSON and checks the CRC.
    /// Returns the JSON bytes, or the defect that makes the line unreadable.
    public static func unframe(_ line: ArraySlice<UInt8>) -> Result<ArraySlice<UInt8>, JournalDefect.Kind> {
        guard line.count >= 10 else { return .failure(.malformed("line is \(line.count) bytes, too short for a record")) }
        let crcEnd = line.startIndex + 8
        guard line[crcEnd] == UInt8(ascii: " ") else {
            return .failure(.malformed("no space after the 8-digit CRC"))
        }
        guard let stored = parseHex8(line[line.startIndex..<crcEnd]) else {
            return .failure(.malformed("CRC field is not 8 lowercase hex digits"))
        }
        let json = line[(crcEnd + 1)...]
        let computed = json.withContiguousStorageIfAvailable { CRC32C.checksum(buffer: UnsafeRawBufferPointer($0)) }
            ?? CRC32C.checksum(Array(json))
        guard stored == computed else { return .failure(.crcMismatch(stored: stored, computed: computed)) }
        return .success(json)
    }

    /// 8 lowercase hex digits of `value`.
    static func hex8(_ value: UInt32) -> [UInt8] {
        (0..<8).map { hexDigit(UInt8((value >> (28 - 4 * UInt32($0))) & 0xF)) }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static func parseHex8(_ text: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for byte in text {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
