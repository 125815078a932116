// libFuzzer target: any bytes as a `propcast predict --input` file — JSON decoding, then every
// decoded player through validation and the five systems with the committed models. Nothing
// may trap. Built by Ops/fuzz.sh with PropcastModels' sources and those it depends on.
import Foundation

/// The committed models, loaded once (FUZZ_MODELS, default Ops/models).
let engine: PredictionEngine = {
    let directory = ProcessInfo.processInfo.environment["FUZZ_MODELS"] ?? "Ops/models"
    return PredictionEngine(registry: try! ModelRegistry.load(from: directory))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPredictInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let inputs = try? PlayerInputFile.decode(Data(bytes: data, count: size), source: "fuzz.json") else { return 0 }
    for input in inputs.prefix(8) {
        let predictions = engine.predict(input)
        _ = predictions.table
        _ = try? predictions.jsonLine()
    }
    return 0
}
