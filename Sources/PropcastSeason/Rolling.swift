/// Rolling statistics over the tail of a history.
enum Rolling {
    /// Mean of `values`; nil when empty.
    static func mean<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Population standard deviation; nil when empty.
    static func std<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        guard let m = mean(values) else { return nil }
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
    }

    /// Mean of the last `count` values, shrunk toward `prior` with `pseudoCount` pseudo-games
    /// (team ratings early in the season would otherwise swing wildly on one game).
    static func shrunkMean(_ values: [Double], last count: Int, prior: Double, pseudoCount: Double = 3) -> Double {
        let tail = values.suffix(count)
        return (tail.reduce(0, +) + prior * pseudoCount) / (Double(tail.count) + pseudoCount)
    }
}
