/// `min(max(x, low), high)` as SYSTEMS.md defines clamp.
@inline(__always) func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double {
    min(max(x, low), high)
}
