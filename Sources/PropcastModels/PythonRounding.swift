import Foundation

/// Rounding that reproduces Python's `round(x, ndigits)` for doubles, which the upstream
/// pipeline used for every reported number (SYSTEMS.md: `round2`).
///
/// Python rounds the *exact* binary value of `x` to the nearest decimal with the requested
/// number of places, ties to even, and returns the double nearest to that decimal. So
/// `round(2.675, 2) == 2.67` (2.675 is stored as 2.67499999999999982236431605997495353221893310546875),
/// `round(0.125, 2) == 0.12` (an exact tie, to even), `round(0.375, 2) == 0.38`.
public enum PythonRounding {
    /// `round(x, 2)` as Python computes it. Non-finite values are returned unchanged.
    ///
    /// Method: `p = fl(|x|·100)` and the exact error `e = |x|·100 − p` (one fused multiply-add;
    /// the error of a product is always representable) give the exact scaled value `p + e`.
    /// Its fractional part `d = p − ⌊p⌋` is exact, and because `|e| ≤ ulp(p)/2` while `d` and
    /// `0.5` are multiples of `ulp(p)`, `e` can only decide the case `d == 0.5`: above the
    /// tie it rounds up, below it rounds down, exactly on it to even. The integer count of
    /// hundredths `n` is exact and `n / 100` is the correctly rounded double of the decimal.
    public static func round2(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        let magnitude = abs(x)
        // Beyond 1e13 the fast path could lose the integer part's exactness; the C library's
        // `%.2f` formats the exact binary value with ties to even, as Python does.
        guard magnitude < 1e13 else { return Double(String(format: "%.2f", x)) ?? x }
        let scaled = magnitude * 100
        let error = (-scaled).addingProduct(magnitude, 100)
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        let hundredths: Double
        if fraction < 0.5 {
            hundredths = whole
        } else if fraction > 0.5 {
            hundredths = whole + 1
        } else if error > 0 {
            hundredths = whole + 1
        } else if error < 0 {
            hundredths = whole
        } else {
            hundredths = whole.truncatingRemainder(dividingBy: 2) == 0 ? whole : whole + 1
        }
        let result = hundredths / 100
        return x < 0 ? -result : result
    }
}
