import PropcastJournal
import Testing

/// Record timestamps are ISO-8601 UTC with milliseconds, zero-padded field by field.
@Suite struct JournalTimestampTests {
    @Test(arguments: [
        (1_736_964_001, 123, "2025-01-15T18:00:01.123Z"),
        (951_868_799, 7, "2000-02-29T23:59:59.007Z"),
        (0, 0, "1970-01-01T00:00:00.000Z"),
    ])
    func secondsAndMillisecondsFormatAsUTC(seconds: Int, milliseconds: Int, text: String) {
        #expect(JournalTimestamp.format(seconds: seconds, milliseconds: milliseconds) == text)
        #expect(JournalTimestamp.isValid(text))
    }

    @Test func nowHasTheJournalForm() {
        #expect(JournalTimestamp.isValid(JournalTimestamp.now()))
    }
}
