import NIOCore
import NIOEmbedded
import NIOExtras
import PropcastWire
import Testing

@Suite struct FrameCodecTests {
    func makeDecoderChannel(maxFrameBytes: Int = 1024) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameBytes: maxFrameBytes)))
        try channel.pipeline.syncOperations.addHandler(EnvelopeDecoder())
        return channel
    }

    func frame(_ envelope: Envelope) throws -> [UInt8] {
        let payload: [UInt8] = try envelope.serializedBytes()
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + payload
    }

    var ping: Envelope {
        var ping = WirePing()
        ping.nonce = 99
        return Envelope(.ping(ping))
    }

    @Test func frameSplitIntoSingleBytesIsReassembled() throws {
        let channel = try makeDecoderChannel()
        let bytes = try frame(ping)
        for byte in bytes.dropLast() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            #expect(try channel.readInbound(as: Envelope.self) == nil)
        }
        try channel.writeInbound(ByteBuffer(bytes: [bytes.last!]))
        #expect(try channel.readInbound(as: Envelope.self) == ping)
    }

    @Test func twoFramesInOneReadGiveTwoEnvelopes() throws {
        let channel = try makeDecoderChannel()
        try channel.writeInbound(ByteBuffer(bytes: try frame(ping) + frame(.goodbye(.normal, "bye"))))
        #expect(try channel.readInbound(as: Envelope.self) == ping)
        #expect(try channel.readInbound(as: Envelope.self)?.bodyName == "goodbye")
    }

    @Test func oversizedHeaderIsRejectedBeforeThePayloadArrives() throws {
        let channel = try makeDecoderChannel(maxFrameBytes: 1024)
        // Only the 4-byte header of a 1025-byte frame: rejected at once, nothing buffered.
        #expect {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0x04, 0x01]))
        } throws: { error in
            (error as? WireError)?.code == .frameTooLarge
                && "\(error)" == "frame of 1025 bytes exceeds the limit of 1024 bytes"
        }
    }

    @Test func frameAtTheLimitIsAccepted() throws {
        var request = WirePredictRequest()
        request.playerLookup = String(repeating: "x", count: 1000)
        let bytes = try frame(Envelope(.predictRequest(request)))
        let channel = try makeDecoderChannel(maxFrameBytes: bytes.count - 4)
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        #expect(try channel.readInbound(as: Envelope.self)?.bodyName == "predict_request")
    }

    @Test func garbagePayloadIsAMalformedEnvelopeError() throws {
        let channel = try makeDecoderChannel()
        #expect {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 3, 0xFF, 0xFF, 0xFF]))
        } throws: { error in
            guard let wire = error as? WireError else { return false }
            return wire.code == .malformedEnvelope && wire.description.contains("frame of 3 bytes is not a valid Envelope")
        }
    }

    @Test func encoderRefusesAnEnvelopeLargerThanTheLimit() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(EnvelopeEncoder(maxFrameBytes: 10))
        var request = WirePredictRequest()
        request.playerLookup = String(repeating: "y", count: 64)
        #expect(throws: WireError.self) { try channel.writeOutbound(Envelope(.predictRequest(request))) }
    }

    @Test func unknownBodyFromANewerPeerDecodesWithNoBody() throws {
        // Field 50, length-delimited, 2 bytes: a message type this build does not know.
        let channel = try makeDecoderChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 5, 0x92, 0x03, 0x02, 0x08, 0x01]))
        let envelope = try #require(try channel.readInbound(as: Envelope.self))
        #expect(envelope.body == nil)
        #expect(envelope.bodyName == "unknown message")
    }
}
