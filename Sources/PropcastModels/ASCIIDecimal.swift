/// Decimal integers written straight into a byte buffer, for hot paths that would otherwise
/// build a `String` per number (dates in ids and fingerprints, lengths in canonical inputs,
/// journal timestamps).
public enum ASCIIDecimal {
    /// Appends `value` in decimal, its digits left-padded with zeros to `width` (`-` before
    /// them for a negative value): `String(value)` for width 1.
    public static func append(_ value: Int, width: Int = 1, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any Int's 19 digits, in reverse
        withUnsafeMutableBytes(of: &digits) { reversed in
            var count = 0
            repeat {
                reversed[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for _ in count..<max(count, width) { bytes.append(UInt8(ascii: "0")) }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(reversed[index]) }
        }
    }
}
