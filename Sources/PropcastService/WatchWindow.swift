import Foundation
import PropcastModels

/// The part of the day the service watches a date, in a time zone: readiness is checked from
/// ``from``, the day is refreshed until ``until`` (minutes after midnight; `until` may be
/// 24:00).
public struct WatchWindow: Sendable, Hashable {
    public var timeZone: TimeZone
    public var from: Int
    public var until: Int

    /// Where a moment falls.
    public enum Phase: Sendable, Hashable {
        /// Before the window opens.
        case before
        /// Inside the window.
        case inside
        /// After it closed.
        case after
    }

    /// A window; default 00:00–07:00 in America/Los_Angeles.
    public init(timeZone: TimeZone = TimeZone(identifier: "America/Los_Angeles")!, from: Int = 0, until: Int = 7 * 60) {
        self.timeZone = timeZone
        self.from = from
        self.until = until
    }

    /// `HH:MM` → minutes after midnight (00:00–24:00), or nil.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 24 * 60 else { return nil }
        return hours * 60 + minutes
    }

    /// The calendar date of `moment` in the window's time zone (today's game date).
    public func date(of moment: Date) -> GameDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: moment)
        return GameDate(String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1))!
    }

    /// Where `moment` falls in the window.
    public func phase(of moment: Date) -> Phase {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: moment)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        if minute < from { return .before }
        return minute < until ? .inside : .after
    }

    /// `HH:MM–HH:MM zone`, for logs and the dashboard.
    public var text: String {
        String(format: "%02d:%02d–%02d:%02d ", from / 60, from % 60, until / 60, until % 60) + timeZone.identifier
    }
}
