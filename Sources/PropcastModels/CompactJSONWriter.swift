/// A minimal writer of compact JSON objects for hot paths that write one row at a time (the
/// journal's prediction records, the PostgreSQL export's extras): the caller emits members in
/// sorted key order, strings are escaped per RFC 8259, numbers use Swift's shortest
/// round-tripping form and whole numbers have no `.0`, as `JSONEncoder` writes them.
/// Non-finite numbers are refused.
public struct CompactJSONWriter {
    /// A NaN or an infinity, which JSON cannot hold.
    public struct NonFiniteNumber: Error, CustomStringConvertible {
        /// The number.
        public var value: Double
        public var description: String { "number \(value) cannot be written as JSON" }
    }

    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// `{"key":value,…}` of a row's extras, keys sorted.
    public static func extrasObject(_ extras: [String: ExtraValue]) throws(NonFiniteNumber) -> [UInt8] {
        var json = CompactJSONWriter(capacity: 64)
        try json.object(extras)
        return json.bytes
    }

    /// `"key":"value"` (`key` needs no escaping: the record's own field names).
    public mutating func member(_ key: StaticString, _ value: String) {
        memberKey(key)
        appendString(value)
    }

    /// `"key":number`; throws for NaN or infinity.
    public mutating func member(_ key: StaticString, _ value: Double) throws(NonFiniteNumber) {
        memberKey(key)
        try appendNumber(value)
    }

    /// `"key":{…}` of a row's extras, keys sorted.
    public mutating func member(_ key: StaticString, extras: [String: ExtraValue]) throws(NonFiniteNumber) {
        memberKey(key)
        try object(extras)
    }

    /// `{…}` of extras, keys sorted.
    private mutating func object(_ extras: [String: ExtraValue]) throws(NonFiniteNumber) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        for (key, value) in extras.sorted(by: { $0.key < $1.key }) { try member(key, extra: value) }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `"key":value` for a system-specific extra.
    private mutating func member(_ key: String, extra: ExtraValue) throws(NonFiniteNumber) {
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

    private mutating func appendNumber(_ value: Double) throws(NonFiniteNumber) {
        guard value.isFinite else { throw NonFiniteNumber(value: value) }
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
