/// The error shape every Propcast module uses: a code for programs that branch on it and a
/// description for people that says what went wrong, where, and what to do about it.
///
/// Each module names its own codes and a type alias, e.g.
/// `public typealias WireError = CodedError<WireErrorCode>`, so callers write
/// `WireError(.timedOut, "no frame from 10.0.0.7:7420 for 6 s (heartbeat missed)")` and
/// branch on `error.code`.
public struct CodedError<Code: Sendable>: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, for code that branches on it.
    public let code: Code
    /// What happened, where, and what to do about it.
    public let description: String

    /// Creates an error with its code and its readable explanation.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

extension CodedError: Equatable where Code: Equatable {}
