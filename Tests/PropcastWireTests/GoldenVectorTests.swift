import Foundation
import NIOCore
import NIOEmbedded
import NIOExtras
import PropcastTestSupport
import PropcastWire
import SwiftProtobuf
import Testing

/// The golden frames in Protocols/vectors were encoded by `protoc --encode` (an independent
/// encoder) from the `.txtpb` next to each; our codec must read and write them byte for byte.
@Suite struct GoldenVectorTests {
    static let vectorNames: [String] = {
        let directory = RepositoryPaths.protocols("vectors")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".hex") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test func everyMessageTypeHasAVector() throws {
        #expect(Self.vectorNames.count >= 13)
        var bodies = Set<String>()
        for name in Self.vectorNames {
            bodies.insert(try Self.expectedEnvelope(name).bodyName)
        }
        #expect(bodies == ["hello", "hello_ack", "predict_request", "predict_result", "predict_rejected",
                           "ping", "pong", "drain", "goodbye", "predict_batch", "predict_batch_answer", "empty"])
    }

    @Test(arguments: vectorNames)
    func goldenFrameDecodesToItsTextAndReencodesByteForByte(_ name: String) throws {
        let frame = try Self.frameBytes(name)
        let expected = try Self.expectedEnvelope(name)

        let inbound = EmbeddedChannel()
        try inbound.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameBytes: 1 << 24)))
        try inbound.pipeline.syncOperations.addHandler(EnvelopeDecoder())
        try inbound.writeInbound(ByteBuffer(bytes: frame))
        let decoded = try #require(try inbound.readInbound(as: Envelope.self))
        #expect(decoded == expected)
        #expect(try inbound.readInbound(as: Envelope.self) == nil)

        let outbound = EmbeddedChannel()
        try outbound.pipeline.syncOperations.addHandler(LengthFieldPrepender(lengthFieldBitLength: .fourBytes))
        try outbound.pipeline.syncOperations.addHandler(EnvelopeEncoder(maxFrameBytes: 1 << 24))
        try outbound.writeOutbound(decoded)
        var written: [UInt8] = []
        while let chunk = try outbound.readOutbound(as: ByteBuffer.self) {
            written += chunk.readableBytesView
        }
        #expect(written == frame, "re-encoded \(name) differs from the golden frame")
    }

    static func frameBytes(_ name: String) throws -> [UInt8] {
        let hex = try String(contentsOfFile: RepositoryPaths.protocols("vectors/\(name).hex"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16), "bad hex in \(name)"))
            index = next
        }
        return bytes
    }

    static func expectedEnvelope(_ name: String) throws -> Envelope {
        let text = try String(contentsOfFile: RepositoryPaths.protocols("vectors/\(name).txtpb"), encoding: .utf8)
        return try Envelope(textFormatString: text)
    }
}
