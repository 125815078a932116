/// Reads a JSON array of numbers (`[1.5, -2, 3e-1]`) without Foundation's `JSONDecoder`,
/// which costs several microseconds per store row. Strict JSON numbers only: no `NaN`,
/// no `Infinity`, no leading `+`, no hex; whitespace allowed between tokens.
enum JSONNumberArray {
    /// The numbers, or nil when `text` is not exactly such an array.
    static func parse(_ text: String) -> [Double]? {
        var text = text
        return text.withUTF8 { bytes -> [Double]? in
            var index = 0
            func skipSpace() {
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                    || bytes[index] == 0x09 { index += 1 }
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
            index += 1
            skipSpace()
            var values: [Double] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                skipSpace()
                return index == bytes.count ? values : nil
            }
            while true {
                let start = index
                while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
                guard index > start, let value = Self.number(UnsafeBufferPointer(rebasing: bytes[start..<index])) else {
                    return nil
                }
                values.append(value)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "]") { break }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
                skipSpace()
            }
            index += 1
            skipSpace()
            return index == bytes.count ? values : nil
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// One JSON number: `-? digits (. digits)? ([eE] [+-]? digits)?`.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        func digits() -> Bool {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index > start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, digits() else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() else { return nil }
        }
        guard index == bytes.count else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
