/// A forward-only reader over JSON bytes that extracts just what the XGBoost model loader needs
/// (objects walked key by key, strings, integer and float32 arrays) and skips everything else
/// without building a document tree. Foundation's `JSONSerialization` is several times slower
/// on a 50 MB model on Linux; this reader keeps loading linear and allocation-light.
///
/// Every failure is an `XGBoostModelError(.malformedJSON)` naming the byte offset. The reader
/// never traps on bad input: all indexing is checked against the end of the buffer, and
/// nesting is tracked on an explicit stack (no recursion) with a depth limit.
struct XGBoostJSONScanner {
    let bytes: UnsafeRawBufferPointer
    /// Offset of the next unread byte.
    var offset: Int = 0

    /// Nesting deeper than this is rejected (XGBoost models nest about 6 levels).
    static let maximumDepth = 256

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var bytesCount: Int { bytes.count }

    /// The byte at `position`; callers check `position < bytesCount` first.
    @inline(__always) func byte(at position: Int) -> UInt8 { bytes[position] }

    @inline(__always) mutating func advance(by count: Int) { offset += count }

    // MARK: Errors

    func error(_ what: String, at position: Int? = nil) -> XGBoostModelError {
        XGBoostModelError(.malformedJSON, "\(what) at byte offset \(position ?? offset)")
    }

    // MARK: Structure

    /// Reads an object, calling `body` with each key; `body` must consume the member's value.
    mutating func forEachMember(_ body: (inout XGBoostJSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peekSignificant() == UInt8(ascii: "}") { offset += 1; return }
        while true {
            guard try peekSignificant() == UInt8(ascii: "\"") else { throw error("expected an object key") }
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            switch try nextSignificant() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw error("expected ',' or '}' in object", at: offset - 1)
            }
        }
    }

    /// Reads an array, calling `body` once per element; `body` must consume the element.
    mutating func forEachElement(_ body: (inout XGBoostJSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try peekSignificant() == UInt8(ascii: "]") { offset += 1; return }
        while true {
            try body(&self)
            switch try nextSignificant() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return
            default: throw error("expected ',' or ']' in array", at: offset - 1)
            }
        }
    }

    /// Skips one value of any type (objects and arrays included) after checking its syntax.
    mutating func skipValue() throws {
        var open: [UInt8] = []  // closing brackets still expected, innermost last
        repeat {
            // One value, or the closing bracket of an empty container.
            let byte = try peekSignificant()
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard open.count < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
                offset += 1
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                open.append(close)
                if try peekSignificant() == close { offset += 1; open.removeLast() } else {
                    if close == UInt8(ascii: "}") { try skipKey() }
                    continue
                }
            case UInt8(ascii: "\""): _ = try readString()
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            default: _ = try scanNumber()
            }
            // After a value: close finished containers, or move to the next member/element.
            while let close = open.last {
                let next = try nextSignificant()
                if next == close { open.removeLast(); continue }
                guard next == UInt8(ascii: ",") else {
                    throw error("expected ',' or '\(Character(UnicodeScalar(close)))'", at: offset - 1)
                }
                if close == UInt8(ascii: "}") { try skipKey() }
                break
            }
        } while !open.isEmpty
    }

    /// Requires that only whitespace follows the top-level value.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected data after the JSON document") }
    }

    // MARK: Scalars

    /// Reads a string, decoding escapes (`\n`, `\"`, `\uXXXX` with surrogate pairs…).
    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = offset
        // Fast path: no escapes.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(offset - 1)]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in string") }
            offset += 1
        }
        var decoded = Array(bytes[start..<offset])
        while true {
            guard offset < bytes.count else { throw error("unterminated string", at: start - 1) }
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"): try readEscape(into: &decoded)
            case 0..<0x20: throw error("control character in string", at: offset - 1)
            default: decoded.append(byte)
            }
        }
    }

    /// Reads a JSON integer (no fraction or exponent) that fits in `Int`.
    mutating func readInt() throws -> Int {
        let start = try peekSignificantOffset()
        let negative = bytes[start] == UInt8(ascii: "-")
        offset = negative ? start + 1 : start
        var value = 0
        var digits = 0
        while offset < bytes.count, case let digit = bytes[offset] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
            guard !overflow1, !overflow2 else { throw error("integer too large", at: start) }
            value = sum
            digits += 1
            offset += 1
        }
        guard digits > 0 else { throw error("expected an integer", at: start) }
        if offset < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[offset]) {
            throw error("expected an integer, found a fraction or exponent", at: start)
        }
        return negative ? -value : value
    }

    /// Reads a number, correctly rounded to the nearest `Float` (as XGBoost stores it).
    mutating func readFloat() throws -> Float {
        let range = try scanNumber()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Float(text), value.isFinite else {
            throw error("number '\(text)' does not fit in a 32-bit float", at: range.lowerBound)
        }
        return value
    }

    /// Reads `true`, `false`, or the integers 0 and 1 (XGBoost writes `default_left` either way).
    mutating func readFlag() throws -> Bool {
        switch try peekSignificant() {
        case UInt8(ascii: "t"): try expectLiteral("true"); return true
        case UInt8(ascii: "f"): try expectLiteral("false"); return false
        default:
            let start = offset
            switch try readInt() {
            case 0: return false
            case 1: return true
            default: throw error("expected 0, 1, true or false", at: start)
            }
        }
    }

    /// Reads an array of integers.
    mutating func readIntArray() throws -> [Int] {
        var values: [Int] = []
        try forEachElement { values.append(try $0.readInt()) }
        return values
    }

    /// Reads an array of integers that fit in `Int32` (node and feature indices).
    mutating func readInt32Array() throws -> [Int32] {
        var values: [Int32] = []
        try forEachElement { scanner in
            let start = scanner.offset
            let value = try scanner.readInt()
            guard let narrow = Int32(exactly: value) else { throw scanner.error("index \(value) out of range", at: start) }
            values.append(narrow)
        }
        return values
    }

    /// Reads an array of numbers as `Float`.
    mutating func readFloatArray() throws -> [Float] {
        var values: [Float] = []
        try forEachElement { values.append(try $0.readFloat()) }
        return values
    }

    /// Reads an array of flags (see `readFlag`).
    mutating func readFlagArray() throws -> [Bool] {
        var values: [Bool] = []
        try forEachElement { values.append(try $0.readFlag()) }
        return values
    }

    /// Reads an array of strings.
    mutating func readStringArray() throws -> [String] {
        var values: [String] = []
        try forEachElement { values.append(try $0.readString()) }
        return values
    }
}
