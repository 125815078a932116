import PropcastModels

/// A reader of the one JSON form the journal writes for prediction records (``CompactJSONWriter``'s
/// output): compact, no whitespace, strings without escapes, numbers in JSON's grammar. Every
/// read returns nil when the bytes are anything else, valid JSON in another form included; the
/// caller then decodes the line with Foundation's `JSONDecoder`, which stays the authority on
/// every other form and on the wording of errors. Reads only what `JSONDecoder` would read to the
/// same value (tests compare the two on written and on mutated lines).
struct JournalJSONReader: ~Copyable {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// A reader at the start of `bytes` (valid while they are).
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Whether every byte was read.
    var isAtEnd: Bool { index == bytes.count }

    /// The next byte, nil at the end.
    var next: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Reads `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A member name and its colon: `"name":`. The name's bytes are valid while `bytes` are.
    mutating func key() -> UnsafeBufferPointer<UInt8>? {
        guard let (range, _) = plainString(), consume(UInt8(ascii: ":")) else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// A string without escapes or control characters, valid UTF-8.
    mutating func string() -> String? {
        guard let (range, ascii) = plainString() else { return nil }
        let text = UnsafeBufferPointer(rebasing: bytes[range])
        return ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
    }

    /// The bytes of a string without escapes or control characters (valid while `bytes` are),
    /// for values whose own parser accepts only ASCII.
    mutating func asciiField() -> UnsafeBufferPointer<UInt8>? {
        guard let (range, _) = plainString() else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// `null`.
    mutating func null() -> Bool {
        guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    /// A finite number (an integer literal reads as its value).
    mutating func double() -> Double? {
        guard let (text, _) = number(), let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else {
            return nil
        }
        return value
    }

    /// A non-negative integer literal (no fraction, no exponent) that fits.
    mutating func unsigned() -> UInt64? {
        guard let (text, isInteger) = number(), isInteger, text[0] != UInt8(ascii: "-") else { return nil }
        var value: UInt64 = 0
        for digit in text {
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }

    /// A system extra: an integer literal that fits `Int` (not `-0`), a number that is not a
    /// whole one, a string, or a list of strings — the forms `ExtraValue`'s decoding tells apart
    /// without doubt. Anything else (`2.0`, `1e2`, `null`, nested values) is left to `JSONDecoder`.
    mutating func extra() -> ExtraValue? {
        switch next {
        case UInt8(ascii: "\""):
            return string().map(ExtraValue.text)
        case UInt8(ascii: "["):
            index += 1
            var list: [String] = []
            if consume(UInt8(ascii: "]")) { return .list(list) }
            repeat {
                guard let item = string() else { return nil }
                list.append(item)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? .list(list) : nil
        default:
            guard let (text, isInteger) = number() else { return nil }
            if isInteger {
                guard let value = Int(String(decoding: text, as: UTF8.self)), value != 0 || text[0] != UInt8(ascii: "-") else {
                    return nil
                }
                return .integer(value)
            }
            guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite, value != value.rounded() else {
                return nil
            }
            return .number(value)
        }
    }

    /// An object of extras: `{"name":extra,…}` with distinct names.
    mutating func extras() -> [String: ExtraValue]? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var extras: [String: ExtraValue] = [:]
        if consume(UInt8(ascii: "}")) { return extras }
        repeat {
            guard let name = string(), consume(UInt8(ascii: ":")), let value = extra(),
                  extras.updateValue(value, forKey: name) == nil else { return nil }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? extras : nil
    }

    /// `"…"` with nothing to unescape: the range inside the quotes and whether it is all ASCII.
    private mutating func plainString() -> (Range<Int>, ascii: Bool)? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start..<index - 1, ascii)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return nil
    }

    /// A number in JSON's grammar, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: its text and
    /// whether it has neither fraction nor exponent.
    private mutating func number() -> (UnsafeBufferPointer<UInt8>, isInteger: Bool)? {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if let next, Self.isDigit(next) { return nil }
        } else if !digits() {
            return nil
        }
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            guard digits() else { return nil }
            isInteger = false
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard digits() else { return nil }
            isInteger = false
        }
        return (UnsafeBufferPointer(rebasing: bytes[start..<index]), isInteger)
    }

    /// One or more digits.
    private mutating func digits() -> Bool {
        let start = index
        while let next, Self.isDigit(next) { index += 1 }
        return index > start
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
