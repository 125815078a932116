import Foundation
import PropcastModels
import Testing
@testable import PropcastService

@Suite struct DateWatchTests {
    let date = GameDate("2025-01-15")!
    let start = ContinuousClock.now

    func watch() -> DateWatch { DateWatch(date: date, pollInterval: .seconds(60), refreshInterval: .seconds(900)) }

    @Test func beforeTheWindowNothingIsChecked() {
        var watch = watch()
        #expect(watch.tick(phase: .before, now: start) == .none)
    }

    @Test func insideTheWindowReadinessIsCheckedEveryPollInterval() {
        var watch = watch()
        #expect(watch.tick(phase: .inside, now: start) == .checkReadiness)
        #expect(watch.readinessChecked(ready: false) == false)
        #expect(watch.tick(phase: .inside, now: start + .seconds(30)) == .none)
        #expect(watch.tick(phase: .inside, now: start + .seconds(60)) == .checkReadiness)
        #expect(watch.readinessChecked(ready: true) == true)
    }

    @Test func aPredictedDateIsRefreshedEveryRefreshIntervalUntilTheWindowCloses() {
        var watch = watch()
        watch.runStarted()
        #expect(watch.tick(phase: .inside, now: start) == .none)
        watch.runEnded(predicted: true, now: start)
        #expect(watch.isPredicted)
        #expect(watch.tick(phase: .inside, now: start + .seconds(899)) == .none)
        #expect(watch.tick(phase: .inside, now: start + .seconds(900)) == .refresh)
        #expect(watch.tick(phase: .inside, now: start + .seconds(901)) == .none)
        #expect(watch.tick(phase: .after, now: start + .seconds(5000)) == .none)
    }

    @Test func aFailedRunGoesBackToPollingAndAFailedRefreshKeepsTheDatePredicted() {
        var watch = watch()
        watch.runStarted()
        watch.runEnded(predicted: false, now: start)
        #expect(!watch.isPredicted)
        #expect(watch.tick(phase: .inside, now: start + .seconds(10)) == .none)
        #expect(watch.tick(phase: .inside, now: start + .seconds(60)) == .checkReadiness)
        watch.runStarted()
        watch.runEnded(predicted: true, now: start + .seconds(70))
        watch.runStarted()
        watch.runEnded(predicted: false, now: start + .seconds(1000))
        #expect(watch.isPredicted)
        #expect(watch.tick(phase: .inside, now: start + .seconds(1900)) == .refresh)
    }

    @Test func aStoreNeverReadyByTheEndOfTheWindowAlertsOnce() {
        var watch = watch()
        #expect(watch.tick(phase: .inside, now: start) == .checkReadiness)
        #expect(watch.tick(phase: .after, now: start + .seconds(10)) == .alertStoreNotReady)
        #expect(watch.tick(phase: .after, now: start + .seconds(100)) == .none)
    }

    @Test func theWindowReadsTheTimeOfDayInItsZone() throws {
        let window = WatchWindow(timeZone: try #require(TimeZone(identifier: "America/Los_Angeles")), from: 30, until: 7 * 60)
        // 2025-01-15 08:00 UTC = 00:00 in Los Angeles (PST, UTC-8): before 00:30.
        let midnight = Date(timeIntervalSince1970: 1_736_928_000)
        #expect(window.date(of: midnight) == GameDate("2025-01-15"))
        #expect(window.phase(of: midnight) == .before)
        #expect(window.phase(of: midnight + 3600) == .inside)
        #expect(window.phase(of: midnight + 7 * 3600) == .after)
        #expect(window.date(of: midnight - 1) == GameDate("2025-01-14"))
        #expect(WatchWindow.minutes("24:00") == 1440)
        #expect(WatchWindow.minutes("07:30") == 450)
        #expect(WatchWindow.minutes("7:30") == nil)
        #expect(WatchWindow.minutes("24:01") == nil)
    }
}
