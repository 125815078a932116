import PropcastModels

/// A minimal writer of compact JSON objects for the journal's hot path (prediction records):
/// the caller emits members in sorted key order, strings are escaped per RFC 8259, numbers use
/// Swift's shortest round-tripping form. Non-finite numbers are refused.
struct JournalJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// `"key":"value"` (`key` needs no escaping: the record's own field names).
    mutating func member(_ key: StaticString, _ value: String) {
        memberKey(key)
        appendString(value)
    }

    /// `"key":number`; throws for NaN or infinity.
    mutating func member(_ key: StaticString, _ value: Double) throws {
        memberKey(key)
        try appendNumber(value)
    }

    /// `"key":{…}` built by `body` (members in sorted order).
    mutating func member(_ key: StaticString, object body: (inout JournalJSONWriter) throws -> Void) rethrows {
        memberKey(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `"key":value` for a system-specific extra.
    mutating func member(_ key: String, extra: ExtraValue) throws {
        memberKey(key)
        switch extra {
        case .number(let value): try appendNumber(value)
        case .integer(let value): bytes.append(contentsOf: String(value).utf8)
        case .text(let value): appendString(value)
        case .list(let values):
            bytes.append(UInt8(ascii: "["))
            for (position, value) in values.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(value)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private mutating func memberKey(_ key: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func memberKey(_ key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendNumber(_ value: Double) throws {
        guard value.isFinite else { throw JournalError.invalidEntry("number \(value) cannot be written as JSON") }
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)  // 20 rather than 20.0, as JSONEncoder writes it
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let plain = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            bytes.append(contentsOf: utf8)  // the common case: nothing to escape
            return true
        }
        if plain == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
