import SwiftProtobuf

/// Protobuf bytes of an ``Envelope``, identical to `serializedBytes()`, built faster for the
/// two large bodies: SwiftProtobuf recomputes the size of every nested message at each level
/// above it, which for a batch answer (envelope → batch → answer → result → row → extra) cost
/// a third of a worker's CPU. Here each row, skip and request is serialized once by the
/// library and the levels above are framed by hand (tag, length, bytes — in field order,
/// zero scalars omitted, as the library writes them).
enum EnvelopeBytes {
    static func serialize(_ envelope: Envelope) throws -> [UInt8] {
        switch envelope.body {
        case .predictBatchAnswer(let batch) where envelope.unknownFields.data.isEmpty && batch.unknownFields.data.isEmpty:
            var inner: [UInt8] = []
            for answer in batch.answers { try appendField(1, try bytes(of: answer), to: &inner) }
            var out: [UInt8] = []
            try appendField(11, inner, to: &out)
            return out
        case .predictBatch(let batch) where envelope.unknownFields.data.isEmpty && batch.unknownFields.data.isEmpty:
            var inner: [UInt8] = []
            for request in batch.requests { try appendField(1, try request.serializedBytes(), to: &inner) }
            var out: [UInt8] = []
            try appendField(10, inner, to: &out)
            return out
        default:
            return try envelope.serializedBytes()
        }
    }

    private static func bytes(of answer: WirePredictAnswer) throws -> [UInt8] {
        guard answer.unknownFields.data.isEmpty, case .result(let result)? = answer.answer,
              result.unknownFields.data.isEmpty else {
            return try answer.serializedBytes()
        }
        var fields: [UInt8] = []
        if result.requestID != 0 { appendVarintField(1, result.requestID, to: &fields) }
        for prediction in result.predictions { try appendField(2, try prediction.serializedBytes(), to: &fields) }
        for skip in result.systemSkips { try appendField(3, try skip.serializedBytes(), to: &fields) }
        for reason in result.playerSkipReasons { try appendField(4, Array(reason.utf8), to: &fields) }
        if result.computeMicros != 0 { appendVarintField(5, result.computeMicros, to: &fields) }
        var out: [UInt8] = []
        try appendField(1, fields, to: &out)
        return out
    }

    /// A length-delimited field: its tag, the length as a varint, the bytes.
    private static func appendField(_ number: UInt64, _ bytes: [UInt8], to out: inout [UInt8]) throws {
        appendVarint(number << 3 | 2, to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendVarintField(_ number: UInt64, _ value: UInt64, to out: inout [UInt8]) {
        appendVarint(number << 3, to: &out)
        appendVarint(value, to: &out)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }
}
