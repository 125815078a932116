import Foundation

/// Small statistics the benchmarks print.
enum BenchFigures {
    /// The middle value (upper middle for an even count); 0 when empty.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// The value at fraction `p` (0–1) of sorted `values` (nearest rank); 0 when empty.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((p * Double(values.count)).rounded(.up)) - 1
        return values[min(max(rank, 0), values.count - 1)]
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double { self / .seconds(1) }

    /// The duration in (fractional) milliseconds.
    var milliseconds: Double { self / .milliseconds(1) }
}

/// Where a benchmark keeps its store and journals: `keep`, or a temporary directory of this
/// process that ``remove()`` deletes.
struct BenchDirectory {
    let path: String
    private let isTemporary: Bool

    init(keep: String?) throws {
        path = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("propcast-bench-\(getpid())").path
        isTemporary = keep == nil
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes a temporary directory (a kept one stays).
    func remove() { if isTemporary { try? FileManager.default.removeItem(atPath: path) } }
}

/// A benchmark that could not run: what failed and what to do.
public struct BenchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
