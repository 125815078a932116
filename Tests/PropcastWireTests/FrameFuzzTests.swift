import NIOCore
import NIOEmbedded
import PropcastWire
import Testing

/// Feeds ≥ 100,000 random and mutated frames to the inbound decoders in-process. Each must
/// end in an Envelope or a clean ``WireError`` — never a crash, a hang or another error type.
@Suite struct FrameFuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [[UInt8]] = {
        var hello = WireHello()
        hello.role = .coordinator
        hello.protocolVersion = ProtocolVersion.current
        hello.nodeID = "coord"
        var request = WirePredictRequest()
        request.requestID = 7
        request.playerLookup = "playerone"
        request.lineValues = [20.5, 22.5]
        var feature = Propcast_Wire_V1_Feature()
        feature.name = "points_avg_season"
        feature.value = 21
        request.features = [feature]
        var game = Propcast_Wire_V1_RecentGame()
        game.gameDate = "2025-01-01"
        game.points = 30
        game.isHome = true
        request.recentGames = [game]
        let envelopes = [Envelope(.hello(hello)), Envelope(.predictRequest(request)), .goodbye(.normal, "bye")]
        return envelopes.map { (try? $0.serializedBytes()) ?? [] }
    }()

    @Test func hundredThousandRandomAndMutatedFramesNeverCrashTheDecoder() throws {
        var random = SplitMix64(state: 20_261_124)
        let maxFrame = 4096
        var channel = try makeChannel(maxFrame)
        var decoded = 0
        var rejected = 0
        for iteration in 0..<100_000 {
            let frame = makeFrame(iteration, &random, maxFrame: maxFrame)
            do {
                try channel.writeInbound(ByteBuffer(bytes: frame))
                while try channel.readInbound(as: Envelope.self) != nil { decoded += 1 }
            } catch is WireError {
                rejected += 1
                // The real server closes the connection here; start a fresh one.
                _ = try? channel.finish()
                channel = try makeChannel(maxFrame)
            }
        }
        _ = try? channel.finish()
        #expect(decoded + rejected > 50_000)
        #expect(decoded > 1_000)
        #expect(rejected > 1_000)
    }

    private func makeChannel(_ maxFrame: Int) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameBytes: maxFrame)))
        try channel.pipeline.syncOperations.addHandler(EnvelopeDecoder())
        return channel
    }

    private func makeFrame(_ iteration: Int, _ random: inout SplitMix64, maxFrame: Int) -> [UInt8] {
        var payload: [UInt8]
        switch iteration % 4 {
        case 0:  // pure noise
            payload = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        default:  // a valid message with flipped, inserted or deleted bytes
            payload = Self.seeds[iteration % Self.seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) where !payload.isEmpty {
                let position = Int.random(in: 0..<payload.count, using: &random)
                switch Int.random(in: 0...2, using: &random) {
                case 0: payload[position] ^= UInt8.random(in: 1...255, using: &random)
                case 1: payload.insert(UInt8.random(in: 0...255, using: &random), at: position)
                default: payload.remove(at: position)
                }
            }
        }
        var length = UInt32(payload.count)
        if iteration % 50 == 0 { length = UInt32.random(in: UInt32(maxFrame + 1)...UInt32.max, using: &random) }
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
            + payload
    }
}
