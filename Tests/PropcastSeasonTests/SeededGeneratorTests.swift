import PropcastSeason
import PropcastStore
import Testing

@Suite struct SeededGeneratorTests {
    /// Reference values from an independent Python implementation of SplitMix64 seeding +
    /// xoshiro256** (the algorithms published by Blackman and Vigna).
    @Test func matchesTheReferenceXoshiroSequence() {
        var rng = SeededGenerator(seed: 42)
        #expect((0..<3).map { _ in rng.next() } == SeededGeneratorTests.referenceSeed42)
    }

    static let referenceSeed42: [UInt64] = [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009]

    @Test func drawsStayInTheirRanges() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<10_000 {
            let unit = rng.unit()
            #expect(unit >= 0 && unit < 1)
            #expect((0..<7).contains(rng.integer(below: 7)))
            #expect(rng.normal().isFinite)
        }
    }

    @Test func normalDrawsHaveTheRequestedMeanAndSpread() {
        var rng = SeededGenerator(seed: 3)
        let draws = (0..<20_000).map { _ in rng.normal(mean: 10, sd: 2) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let sd = (draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)).squareRoot()
        #expect(abs(mean - 10) < 0.1)
        #expect(abs(sd - 2) < 0.1)
    }

    @Test func integerDrawsCoverEveryValue() {
        var rng = SeededGenerator(seed: 5)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<5_000 { counts[rng.integer(below: 5)] += 1 }
        #expect(counts.allSatisfy { (850...1150).contains($0) })
    }
}
