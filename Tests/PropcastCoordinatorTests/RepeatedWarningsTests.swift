@testable import PropcastCoordinator
import Testing

/// A worker that stays unreachable is warned about once per interval, not on every retry.
@Suite struct RepeatedWarningsTests {
    @Test func repeatsAreHeldBackForTheIntervalAndCountedInTheNextWarning() {
        var warnings = RepeatedWarnings<String>(interval: .seconds(30))
        let start = ContinuousClock.now
        #expect(warnings.shouldSay("refused", for: "w1", now: start) == (true, 0))
        #expect(warnings.shouldSay("refused", for: "w1", now: start + .seconds(1)) == (false, 1))
        #expect(warnings.shouldSay("refused", for: "w1", now: start + .seconds(5)) == (false, 2))
        #expect(warnings.shouldSay("refused", for: "w2", now: start + .seconds(5)) == (true, 0), "per worker")
        #expect(warnings.shouldSay("refused", for: "w1", now: start + .seconds(31)) == (true, 2))
        #expect(warnings.shouldSay("timed out", for: "w1", now: start + .seconds(32)) == (true, 0), "a new reason is said")
        warnings.reset("w1")
        #expect(warnings.shouldSay("timed out", for: "w1", now: start + .seconds(33)) == (true, 0), "after a recovery")
    }
}
