import PropcastModels
import Testing

/// Expected values are Python 3's `round(x, 2)` outputs (CPython, printed with repr).
struct PythonRoundingTests {
    @Test(arguments: [
        (2.675, 2.67),      // stored as 2.67499999…, so down
        (0.125, 0.12),      // exact tie, to even
        (0.375, 0.38),      // exact tie, to even
        (1.005, 1.0),       // stored as 1.00499999…
        (-2.675, -2.67),
        (2.665, 2.67),      // stored as 2.66500000000000003552713678800500929355621337890625
        (0.005, 0.01),      // stored slightly above 0.005
        (0.015, 0.01),      // stored slightly below
        (0.045, 0.04),
        (24.999999, 25.0),
        (59.995, 59.99),
        (12.345, 12.35),
        (0.285, 0.28),
        (1.115, 1.11),
        (22.505, 22.5),
        (4.355, 4.36),
    ])
    func round2MatchesPython(input: Double, expected: Double) {
        #expect(PythonRounding.round2(input) == expected)
    }

    @Test func round2KeepsTheSignOfTinyNegatives() {
        // Python: round(-0.001, 2) == -0.0
        let rounded = PythonRounding.round2(-0.001)
        #expect(rounded == 0 && rounded.sign == .minus)
        #expect(PythonRounding.round2(1e-9) == 0)
    }

    @Test func round2LeavesNonFiniteValuesAlone() {
        #expect(PythonRounding.round2(.infinity) == .infinity)
        #expect(PythonRounding.round2(.nan).isNaN)
    }
}
