// libFuzzer target: any bytes as an XGBoost JSON model — the scanner, validation, tree
// flattening — and, for a model that loads, a prediction on rows of zeros and of NaNs.
// Nothing may trap. Built by Ops/fuzz.sh with PropcastXGBoost's sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXGBoost(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let model = try? XGBoostModel(jsonData: bytes, version: "fuzz") else { return 0 }
    _ = model.predict([Float](repeating: 0, count: model.featureNames.count))
    _ = model.predict([Float](repeating: .nan, count: model.featureNames.count))
    return 0
}
