import PropcastWire

extension Envelope {
    /// A PredictRejected envelope.
    static func rejected(_ requestID: UInt64, _ code: WirePredictRejected.Code, _ message: String,
                         retryable: Bool) -> Envelope {
        var rejected = WirePredictRejected()
        rejected.requestID = requestID
        rejected.code = code
        rejected.message = message
        rejected.retryable = retryable
        return Envelope(.predictRejected(rejected))
    }
}
