// libFuzzer target: any bytes as frames between coordinator and worker — the frame limit,
// envelope decoding (in the real channel handlers), the worker's session state machine, the
// conversion of every request (single or in a batch) into engine inputs, and of every answer
// into the coordinator's view of it, which the coordinator's AnswerValidator then checks
// against a fixed player's expected rows. Nothing may trap.
// Built by Ops/fuzz.sh with the Propcast wire, TLS and model modules' sources; NIO and
// SwiftProtobuf come from the SwiftPM build.
import Foundation
import NIOCore
import NIOEmbedded

/// The player every answer is checked against: the golden vectors' player, date and game, with
/// the line of 05-predict-result, and the models' versions as the committed manifest names them.
let answerInput: PlayerInput = {
    let json = #"{"player_lookup":"lebronjames","game_date":"2025-01-15","game_id":"20250115_LAL_BOS","features":{},"#
        + #""feature_quality_score":90,"data_source":"phase4","line_values":[24.5],"recent_games":[]}"#
    return try! PlayerInputFile.decode(Data(json.utf8), source: "fuzz")[0]
}()
let answerValidator = AnswerValidator(input: answerInput, expected: ExpectedPredictions(answerInput, modelVersions: [
    .movingAverage: "moving_average_baseline_v1.0", .zoneMatchup: "zone_matchup_v1.0", .similarity: "similarity_balanced_v1.0",
    .xgboost: "xgboost_v1_aa0881b9d04d", .ensemble: "ensemble_v2.0",
]))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish() }
    guard (try? channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameBytes: 65536)))) != nil,
          (try? channel.pipeline.syncOperations.addHandler(EnvelopeDecoder())) != nil else { return 0 }
    var session = WorkerSessionStateMachine(identity: WorkerIdentity(nodeID: "fuzz", slots: 4, softwareVersion: "fuzz", maxFrameBytes: 65536))
    do {
        try channel.writeInbound(ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size)))
        while let envelope = try channel.readInbound(as: Envelope.self) {
            _ = session.received(envelope)
            switch envelope.body {
            case .predictRequest(let request):
                _ = try? request.playerInput()
            case .predictBatch(let batch):
                for request in batch.requests { _ = try? request.playerInput() }
            case .predictResult(let result):
                if let remote = try? result.decoded(player: answerInput.player, gameDate: answerInput.gameDate,
                                                    gameID: answerInput.gameID) {
                    _ = answerValidator.check(remote, attempt: 1, worker: "fuzz")
                }
            default:
                break
            }
        }
    } catch {
        _ = "\(error)"  // a clean WireError ends the connection; nothing else to check
    }
    return 0
}
