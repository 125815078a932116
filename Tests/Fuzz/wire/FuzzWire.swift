// libFuzzer target: any bytes as what a coordinator sends a worker — the frame limit, envelope
// decoding (in the real channel handlers), the worker's session state machine, and the
// conversion of every request (single or in a batch) into engine inputs and of every
// answer into the coordinator's view of it. Nothing may trap.
// Built by Ops/fuzz.sh with the Propcast wire, TLS and model modules' sources; NIO and
// SwiftProtobuf come from the SwiftPM build.
import NIOCore
import NIOEmbedded

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
                _ = try? result.decoded(player: PlayerLookup("p"), gameDate: GameDate("2025-01-15")!, gameID: GameID("g"))
            default:
                break
            }
        }
    } catch {
        _ = "\(error)"  // a clean WireError ends the connection; nothing else to check
    }
    return 0
}
