/// Byte-level lexing for `XGBoostJSONScanner`: whitespace, punctuation, literals, number
/// tokens and string escapes.
extension XGBoostJSONScanner {
    mutating func skipWhitespace() {
        while offset < bytesCount {
            switch byte(at: offset) {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): advance(by: 1)
            default: return
            }
        }
    }

    /// The next non-whitespace byte, not consumed.
    mutating func peekSignificant() throws -> UInt8 {
        byte(at: try peekSignificantOffset())
    }

    /// The offset of the next non-whitespace byte, not consumed; fails at the end of input.
    mutating func peekSignificantOffset() throws -> Int {
        skipWhitespace()
        guard offset < bytesCount else { throw error("unexpected end of input (truncated JSON?)") }
        return offset
    }

    /// The next non-whitespace byte, consumed.
    mutating func nextSignificant() throws -> UInt8 {
        let byte = try peekSignificant()
        advance(by: 1)
        return byte
    }

    /// Consumes `expected` after optional whitespace.
    mutating func expect(_ expected: UInt8) throws {
        let found = try peekSignificant()
        guard found == expected else {
            throw error("expected '\(Character(UnicodeScalar(expected)))', found '\(Character(UnicodeScalar(found)))'")
        }
        advance(by: 1)
    }

    /// Consumes the literal `true`, `false` or `null`.
    mutating func expectLiteral(_ literal: StaticString) throws {
        let start = try peekSignificantOffset()
        let count = literal.utf8CodeUnitCount
        guard start + count <= bytesCount else { throw error("unexpected end of input (truncated JSON?)", at: start) }
        for index in 0..<count where byte(at: start + index) != literal.utf8Start[index] {
            throw error("invalid literal, expected '\(literal)'", at: start)
        }
        advance(by: count)
    }

    /// Consumes an object key and its colon (used when skipping).
    mutating func skipKey() throws {
        guard try peekSignificant() == UInt8(ascii: "\"") else { throw error("expected an object key") }
        _ = try readString()
        try expect(UInt8(ascii: ":"))
    }

    /// Consumes a number token following the JSON grammar and returns its byte range.
    mutating func scanNumber() throws -> Range<Int> {
        let start = try peekSignificantOffset()
        if byte(at: offset) == UInt8(ascii: "-") { advance(by: 1) }
        guard scanDigits() > 0 else { throw error("expected a value", at: start) }
        if offset < bytesCount, byte(at: offset) == UInt8(ascii: ".") {
            advance(by: 1)
            guard scanDigits() > 0 else { throw error("expected digits after '.'", at: start) }
        }
        if offset < bytesCount, byte(at: offset) | 0x20 == UInt8(ascii: "e") {
            advance(by: 1)
            if offset < bytesCount, byte(at: offset) == UInt8(ascii: "+") || byte(at: offset) == UInt8(ascii: "-") {
                advance(by: 1)
            }
            guard scanDigits() > 0 else { throw error("expected digits in exponent", at: start) }
        }
        return start..<offset
    }

    /// Consumes ASCII digits; returns how many.
    private mutating func scanDigits() -> Int {
        let start = offset
        while offset < bytesCount, byte(at: offset) &- UInt8(ascii: "0") < 10 { advance(by: 1) }
        return offset - start
    }

    /// Decodes the escape after a backslash (already consumed) and appends its UTF-8 bytes.
    mutating func readEscape(into decoded: inout [UInt8]) throws {
        guard offset < bytesCount else { throw error("unterminated string") }
        let escape = byte(at: offset)
        advance(by: 1)
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by `\u` and a low surrogate.
                guard offset + 1 < bytesCount, byte(at: offset) == UInt8(ascii: "\\"),
                      byte(at: offset + 1) == UInt8(ascii: "u") else { throw error("unpaired surrogate in string") }
                advance(by: 2)
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
            decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw error("invalid escape '\\\(Character(UnicodeScalar(escape)))'", at: offset - 2)
        }
    }

    private mutating func readHex4() throws -> UInt32 {
        guard offset + 4 <= bytesCount else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt32
            switch byte(at: offset) {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte(at: offset) - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte(at: offset) - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte(at: offset) - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            advance(by: 1)
        }
        return value
    }
}
