@testable import PropcastModels
import Testing

/// `YYYY-MM-DD` and nothing else.
@Suite struct GameDateTextTests {
    @Test func validDatesParseAndPrintBack() {
        for text in ["2025-01-15", "2024-02-29", "2000-02-29", "1999-12-31", "0001-01-01"] {
            let date = GameDate(text)
            #expect(date?.description == text, "\(text)")
        }
        #expect(GameDate("2025-01-15").map { ($0.year, $0.month, $0.day) } ?? (0, 0, 0) == (2025, 1, 15))
    }

    @Test func datesOutsideFourDigitYearsPrintAsStringWouldPadThem() {
        for (year, text) in [(12345, "12345-03-09"), (7, "0007-03-09"), (0, "0000-03-09")] {
            #expect(GameDate(year: year, month: 3, day: 9)?.description == text)
        }
    }

    @Test func decimalDigitsAreStringsDigitsPadded() {
        var values = [0, 1, 9, 10, 99, 100, 12_345, -1, -10, -12_345, Int.max, Int.min, Int(Int32.max), Int(Int32.min)]
        var generator = SystemRandomNumberGenerator()
        values += (0..<200).map { _ in Int.random(in: .min ... .max, using: &generator) >> Int.random(in: 0...62, using: &generator) }
        for value in values {
            for width in [1, 2, 4, 25] {
                var bytes: [UInt8] = [0x41]
                ASCIIDecimal.append(value, width: width, to: &bytes)
                let digits = String(value.magnitude)
                let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
                #expect(String(decoding: bytes, as: UTF8.self) == "A" + (value < 0 ? "-" : "") + padded, "\(value) width \(width)")
            }
        }
    }

    @Test func anythingElseIsRefused() {
        for text in ["", "2025-1-15", "2025-01-5", "25-01-15", "2025/01/15", "2025-01-15 ", " 2025-01-15", "2025-01-15T00",
                     "2025-13-01", "2025-00-10", "2025-01-32", "2025-02-29", "1900-02-29", "2025-01-1a", "+025-01-15",
                     "20250115", "2025-01-150"] {
            #expect(GameDate(text) == nil, "\(text)")
        }
    }
}
