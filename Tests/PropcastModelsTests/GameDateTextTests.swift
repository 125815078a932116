import PropcastModels
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

    @Test func anythingElseIsRefused() {
        for text in ["", "2025-1-15", "2025-01-5", "25-01-15", "2025/01/15", "2025-01-15 ", " 2025-01-15", "2025-01-15T00",
                     "2025-13-01", "2025-00-10", "2025-01-32", "2025-02-29", "1900-02-29", "2025-01-1a", "+025-01-15",
                     "20250115", "2025-01-150"] {
            #expect(GameDate(text) == nil, "\(text)")
        }
    }
}
