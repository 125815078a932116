/// The wire types under short names.
public typealias Envelope = Propcast_Wire_V1_Envelope
public typealias WireHello = Propcast_Wire_V1_Hello
public typealias WireHelloAck = Propcast_Wire_V1_HelloAck
public typealias WireRole = Propcast_Wire_V1_Role
public typealias WirePing = Propcast_Wire_V1_Ping
public typealias WirePong = Propcast_Wire_V1_Pong
public typealias WireGoodbye = Propcast_Wire_V1_Goodbye
public typealias WireDrain = Propcast_Wire_V1_Drain
public typealias WirePredictRequest = Propcast_Wire_V1_PredictRequest
public typealias WirePredictResult = Propcast_Wire_V1_PredictResult
public typealias WirePredictRejected = Propcast_Wire_V1_PredictRejected
public typealias WireModelVersion = Propcast_Wire_V1_ModelVersion
public typealias WirePredictBatch = Propcast_Wire_V1_PredictBatch
public typealias WirePredictAnswer = Propcast_Wire_V1_PredictAnswer
public typealias WirePredictBatchAnswer = Propcast_Wire_V1_PredictBatchAnswer

extension Envelope {
    /// An envelope carrying `body`.
    public init(_ body: OneOf_Body) {
        self.init()
        self.body = body
    }

    /// A Goodbye envelope.
    public static func goodbye(_ reason: WireGoodbye.Reason, _ message: String) -> Envelope {
        var goodbye = WireGoodbye()
        goodbye.reason = reason
        goodbye.message = message
        return Envelope(.goodbye(goodbye))
    }

    /// A PredictRejected envelope.
    public static func rejected(_ requestID: UInt64, _ code: WirePredictRejected.Code, _ message: String,
                                retryable: Bool) -> Envelope {
        var rejected = WirePredictRejected()
        rejected.requestID = requestID
        rejected.code = code
        rejected.message = message
        rejected.retryable = retryable
        return Envelope(.predictRejected(rejected))
    }

    /// A PredictBatchAnswer envelope rejecting every request of `batch` alike.
    public static func rejectedBatch(_ batch: WirePredictBatch, _ code: WirePredictRejected.Code, _ message: String,
                                     retryable: Bool) -> Envelope {
        var answer = WirePredictBatchAnswer()
        answer.answers = batch.requests.map {
            WirePredictAnswer(.rejected($0.requestID, code, message, retryable: retryable))
        }
        return Envelope(.predictBatchAnswer(answer))
    }

    /// The envelope of a single answer: its PredictResult or PredictRejected (empty if neither).
    public init(_ answer: WirePredictAnswer) {
        switch answer.answer {
        case .result(let result): self.init(.predictResult(result))
        case .rejected(let rejected): self.init(.predictRejected(rejected))
        case nil: self.init()
        }
    }

    /// The body's message name for logs (`hello`, `predict_request`, … or `empty`).
    public var bodyName: String {
        switch body {
        case .hello: return "hello"
        case .helloAck: return "hello_ack"
        case .predictRequest: return "predict_request"
        case .predictResult: return "predict_result"
        case .predictRejected: return "predict_rejected"
        case .ping: return "ping"
        case .pong: return "pong"
        case .drain: return "drain"
        case .goodbye: return "goodbye"
        case .predictBatch: return "predict_batch"
        case .predictBatchAnswer: return "predict_batch_answer"
        case nil: return unknownFields.data.isEmpty ? "empty" : "unknown message"
        }
    }
}

extension WirePredictAnswer {
    /// The answer an envelope carries: its PredictResult or PredictRejected (none otherwise).
    public init(_ envelope: Envelope) {
        self.init()
        switch envelope.body {
        case .predictResult(let result): answer = .result(result)
        case .predictRejected(let rejected): answer = .rejected(rejected)
        default: answer = nil
        }
    }
}
