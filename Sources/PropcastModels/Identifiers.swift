import Foundation

/// A calendar game date (`YYYY-MM-DD`), the unit of one batch and one journal file.
public struct GameDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD`; returns nil for anything else or an impossible date.
    public init?(_ text: String) {
        var text = text
        guard let date = text.withUTF8({ GameDate(utf8: $0) }) else { return nil }
        self = date
    }

    /// Parses `YYYY-MM-DD` from its UTF-8 bytes.
    public init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        // Byte by byte: a date's past games are ~150,000 dates to read.
        var utf8 = text.makeIterator()
        func number(_ digits: Int) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard let byte = utf8.next(), (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let y = number(4), utf8.next() == UInt8(ascii: "-"), let m = number(2), utf8.next() == UInt8(ascii: "-"),
              let d = number(2), utf8.next() == nil,
              (1...12).contains(m), d >= 1, d <= GameDate.daysIn(month: m, year: y)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    /// Builds a date from its parts; returns nil for an impossible date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= GameDate.daysIn(month: month, year: year) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    public var description: String {
        // Hand-formatted: this is on the hot path of every prediction id.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendASCII(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD` (``description``) to `bytes` without building a `String`.
    public func appendASCII(to bytes: inout [UInt8]) {
        ASCIIDecimal.append(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        ASCIIDecimal.append(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        ASCIIDecimal.append(day, width: 2, to: &bytes)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic without time zones.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        (year, month, day) = (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// This date moved by `days` (negative = earlier).
    public func adding(days: Int) -> GameDate { GameDate(dayNumber: dayNumber + days) }

    public static func < (lhs: GameDate, rhs: GameDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = GameDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "game date '\(text)' is not YYYY-MM-DD"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A string-backed identifier: compares, prints and encodes (as a bare JSON string, via the
/// standard library's `RawRepresentable` coding) as its raw value.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String {
    init(rawValue: String)
}

extension StringIdentifier {
    /// The identifier spelled `rawValue`.
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The upstream's player key, e.g. `lebronjames`.
public struct PlayerLookup: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A game's identifier, e.g. `20250115_LAL_BOS`.
public struct GameID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// One of the five prediction systems.
public struct SystemID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let movingAverage: SystemID = "moving_average"
    public static let zoneMatchup: SystemID = "zone_matchup_v1"
    public static let similarity: SystemID = "similarity_balanced_v1"
    public static let xgboost: SystemID = "xgboost_v1"
    public static let ensemble: SystemID = "ensemble_v1"
    /// The five systems in the order they run and are reported.
    public static let all: [SystemID] = [.movingAverage, .zoneMatchup, .similarity, .xgboost, .ensemble]
}

/// A points prop line, e.g. 24.5.
public struct LineValue: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Double
    public init(rawValue: Double) { self.rawValue = rawValue }
    public init(_ rawValue: Double) { self.rawValue = rawValue }
    /// Shortest round-tripping decimal form, as used in prediction ids (`24.5`).
    public var description: String { "\(rawValue)" }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(Double.self) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// A system's call against a line.
public enum Recommendation: String, Sendable, Codable, Hashable, CaseIterable {
    case over = "OVER"
    case under = "UNDER"
    case pass = "PASS"
}
