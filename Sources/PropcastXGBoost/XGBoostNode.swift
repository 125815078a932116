/// One node of a flattened XGBoost forest, packed into 16 bytes so a node is a single load.
///
/// All trees of a model live in one contiguous `[XGBoostNode]`; child indices are absolute
/// positions in that array. Prediction walks nodes by data-dependent jumps, so keeping each
/// node's four fields together (array of structs) costs one cache line per step instead of
/// four scattered loads a struct-of-arrays layout would need.
///
/// A leaf's children are the leaf itself, so a walk can take a fixed number of steps (the
/// tree's depth) without testing for leaves: extra steps stay on the leaf. This keeps the
/// walk branch-free and lets several trees be walked in lockstep.
struct XGBoostNode: Sendable, Equatable {
    /// Split threshold (go left when `feature value < threshold`), or the leaf value.
    let threshold: Float
    /// Feature index in the low 31 bits; the top bit set means "missing goes left".
    let featureAndDefault: UInt32
    /// Absolute index of the left child; a leaf's own index.
    let left: Int32
    /// Absolute index of the right child; a leaf's own index.
    let right: Int32

    static let defaultLeftBit: UInt32 = 0x8000_0000

    /// A split on `feature`.
    init(feature: Int, threshold: Float, defaultLeft: Bool, left: Int32, right: Int32) {
        self.threshold = threshold
        self.featureAndDefault = UInt32(truncatingIfNeeded: feature) | (defaultLeft ? Self.defaultLeftBit : 0)
        self.left = left
        self.right = right
    }

    /// A leaf at absolute index `index` contributing `value`. It splits on feature 0, which
    /// every row has, and both children are itself.
    init(leafValue value: Float, index: Int32) {
        self.threshold = value
        self.featureAndDefault = 0
        self.left = index
        self.right = index
    }

    /// The node reached from here for `row` (whose length must exceed the feature index):
    /// left when `value < threshold`, or when the value is missing (NaN) and missing goes left. The choice is made with bit masks rather than
    /// a conditional: the comparison is unpredictable, and a mispredicted branch per node
    /// would cost more than the rest of the step (the compiler emits one for `?:` here).
    @inline(__always)
    func child(for row: UnsafeBufferPointer<Float>) -> Int {
        let value = row[Int(featureAndDefault & ~Self.defaultLeftBit)]
        let less = UInt32(unsafeBitCast(value < threshold, to: UInt8.self))
        let missing = UInt32(unsafeBitCast(value.isNaN, to: UInt8.self))
        let goLeft = less | (missing & (featureAndDefault >> 31))
        let mask = 0 &- goLeft  // all ones when going left
        return Int(Int32(bitPattern: UInt32(bitPattern: right) ^ ((UInt32(bitPattern: left) ^ UInt32(bitPattern: right)) & mask)))
    }
}
