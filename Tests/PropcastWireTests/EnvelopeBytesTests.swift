import NIOCore
import NIOEmbedded
import PropcastWire
import SwiftProtobuf
import Testing

/// The encoder frames batch answers and batch requests by hand (the library recomputes nested
/// sizes at every level): its bytes must be exactly the library's, for every shape of answer.
@Suite struct EnvelopeBytesTests {
    /// What `EnvelopeEncoder` writes for `envelope`.
    func encoded(_ envelope: Envelope) throws -> [UInt8] {
        let channel = EmbeddedChannel(handler: EnvelopeEncoder(maxFrameBytes: 64 << 20))
        try channel.writeOutbound(envelope)
        let buffer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        return Array(buffer.readableBytesView)
    }

    typealias Draws = FrameFuzzTests.SplitMix64

    func text(_ draws: inout Draws, max: Int = 70) -> String {
        String((0..<Int.random(in: 0...max, using: &draws)).map { _ in "abcé_-0123456789".randomElement(using: &draws)! })
    }

    func answer(_ draws: inout Draws) -> WirePredictAnswer {
        var answer = WirePredictAnswer()
        if Int.random(in: 0..<5, using: &draws) == 0 {
            var rejected = WirePredictRejected()
            rejected.requestID = UInt64.random(in: 0...3, using: &draws)
            rejected.code = .busy
            rejected.message = text(&draws)
            answer.answer = .rejected(rejected)
            return answer
        }
        var result = WirePredictResult()
        result.requestID = [0, 1, 127, 128, 300, UInt64.max].randomElement(using: &draws)!
        result.computeMicros = [0, 5, 1 << 40].randomElement(using: &draws)!
        for _ in 0..<Int.random(in: 0...30, using: &draws) {
            var row = WireSystemPrediction()
            row.systemID = text(&draws, max: 25)
            if Bool.random(using: &draws) { row.line = Double.random(in: 0...40, using: &draws).rounded() + 0.5 }
            row.predictedPoints = Bool.random(using: &draws) ? 0 : Double.random(in: 0...60, using: &draws)
            row.confidenceScore = Double.random(in: 0...100, using: &draws)
            row.recommendation = [.over, .under, .pass, .unspecified].randomElement(using: &draws)!
            for _ in 0..<Int.random(in: 0...4, using: &draws) {
                var extra = WireExtra()
                extra.key = text(&draws, max: 20)
                var value = WireExtraValue()
                switch Int.random(in: 0..<5, using: &draws) {
                case 0: value.number = Double.random(in: -5...5, using: &draws)
                case 1: value.integer = Int64.random(in: -9...999_999, using: &draws)
                case 2: value.text = text(&draws)
                case 3: var list = WireStringList(); list.values = [text(&draws), ""]; value.list = list
                default: break  // no value
                }
                extra.value = value
                row.extras.append(extra)
            }
            row.modelVersion = text(&draws, max: 30)
            row.predictionID = text(&draws, max: 36)
            row.inputFingerprint = text(&draws, max: 64)
            result.predictions.append(row)
        }
        for _ in 0..<Int.random(in: 0...3, using: &draws) {
            var skip = WireSystemSkip()
            skip.systemID = text(&draws, max: 25)
            skip.reason = text(&draws)
            skip.failed = Bool.random(using: &draws)
            result.systemSkips.append(skip)
        }
        result.playerSkipReasons = (0..<Int.random(in: 0...2, using: &draws)).map { _ in text(&draws) }
        answer.answer = .result(result)
        return answer
    }

    @Test func batchAnswersOfEveryShapeEncodeAsTheLibraryDoes() throws {
        var draws = Draws(state: 42)
        for round in 0..<300 {
            var batch = WirePredictBatchAnswer()
            batch.answers = (0..<Int.random(in: 0...6, using: &draws)).map { _ in answer(&draws) }
            if round % 50 == 0 { batch.answers.append(WirePredictAnswer()) }  // neither result nor rejection
            let envelope = Envelope(.predictBatchAnswer(batch))
            #expect(try encoded(envelope) == (try envelope.serializedBytes() as [UInt8]), "round \(round)")
        }
    }

    @Test func batchRequestsEncodeAsTheLibraryDoes() throws {
        var draws = Draws(state: 7)
        for round in 0..<100 {
            var batch = WirePredictBatch()
            for _ in 0..<Int.random(in: 0...5, using: &draws) {
                var request = WirePredictRequest()
                request.requestID = UInt64.random(in: 0...1000, using: &draws)
                request.attempt = UInt32.random(in: 0...3, using: &draws)
                request.playerLookup = text(&draws, max: 20)
                request.lineValues = [1.5, 20.5]
                var feature = WireFeature()
                feature.name = text(&draws, max: 20)
                feature.value = Double.random(in: 0...50, using: &draws)
                request.features = [feature, feature]
                var game = WireRecentGame()
                game.gameDate = "2024-11-02"
                if Bool.random(using: &draws) { game.daysRest = 2 }
                request.recentGames = [game]
                batch.requests.append(request)
            }
            let envelope = Envelope(.predictBatch(batch))
            #expect(try encoded(envelope) == (try envelope.serializedBytes() as [UInt8]), "round \(round)")
        }
    }

    @Test func otherBodiesAndUnknownFieldsGoThroughTheLibrary() throws {
        var draws = Draws(state: 3)
        var batch = WirePredictBatchAnswer()
        batch.answers = [answer(&draws)]
        var envelope = Envelope(.predictBatchAnswer(batch))
        var extra = Envelope()
        extra.unknownFields = try Envelope(serializedBytes: [UInt8]([0xA8, 0x01, 0x05])).unknownFields  // field 21 = 5
        envelope.unknownFields = extra.unknownFields
        #expect(!envelope.unknownFields.data.isEmpty)
        #expect(try encoded(envelope) == (try envelope.serializedBytes() as [UInt8]))
        #expect(try encoded(.goodbye(.normal, "bye")) == (try Envelope.goodbye(.normal, "bye").serializedBytes() as [UInt8]))
    }
}
