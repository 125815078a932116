import Glibc
import PropcastModels

/// Record timestamps: ISO-8601 UTC with milliseconds, `2025-01-15T18:00:01.123Z`.
public enum JournalTimestamp {
    /// The current wall-clock time in journal form.
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    /// `seconds` since 1970-01-01 UTC plus `milliseconds` (0–999) in journal form.
    public static func format(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func field(_ value: Int, _ width: Int, then separator: Unicode.Scalar) {
            ASCIIDecimal.append(value, width: width, to: &out)
            out.append(UInt8(ascii: separator))
        }
        field(Int(parts.tm_year) + 1900, 4, then: "-")
        field(Int(parts.tm_mon) + 1, 2, then: "-")
        field(Int(parts.tm_mday), 2, then: "T")
        field(Int(parts.tm_hour), 2, then: ":")
        field(Int(parts.tm_min), 2, then: ":")
        field(Int(parts.tm_sec), 2, then: ".")
        field(milliseconds, 3, then: "Z")
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` has the journal form (`YYYY-MM-DDTHH:MM:SS.mmmZ`, digits where digits go).
    public static func isValid(_ text: String) -> Bool {
        let pattern = Array("dddd-dd-ddTdd:dd:dd.dddZ".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count == pattern.count else { return false }
        for (byte, expected) in zip(bytes, pattern) {
            if expected == UInt8(ascii: "d") {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            } else if byte != expected {
                return false
            }
        }
        return true
    }
}
