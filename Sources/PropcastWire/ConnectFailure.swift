import Glibc
import NIOCore
import NIOPosix

extension WireError {
    /// A failed TCP connect to `host:port` said for people — `connection refused (nothing
    /// listens on 10.0.0.5:7420: is the worker running?)`, `cannot resolve 'workr1'`, `no answer
    /// to connect within 10 s` — instead of NIO's error dump (callers name the worker in front).
    /// Errors that are not connect failures are returned unchanged.
    static func connectFailure(_ error: any Error, host: String, port: Int) -> any Error {
        let target = Endpoint(host: host, port: port).description
        if let failure = error as? NIOConnectionError {
            if failure.connectionErrors.isEmpty {
                return WireError(.connectFailed, "cannot resolve '\(host)' (check the name, or give an IP address)")
            }
            let reasons = Set(failure.connectionErrors.map { reason(of: $0.error, target: target) })
            return WireError(.connectFailed, reasons.sorted().joined(separator: "; "))
        }
        if error is IOError || error is ChannelError {
            let said = reason(of: error, target: target)
            return said == "\(error)" ? error : WireError(.connectFailed, said)
        }
        return error
    }

    private static func reason(of error: any Error, target: String) -> String {
        if case ChannelError.connectTimeout(let timeout) = error {
            return "no answer to connect within \(Duration.nanoseconds(timeout.nanoseconds))"
        }
        guard let io = error as? IOError else { return "\(error)" }
        switch io.errnoCode {
        case ECONNREFUSED: return "connection refused (nothing listens on \(target): is the worker running?)"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH: return "no route to host"
        case ENETUNREACH: return "network unreachable"
        default: return String(cString: strerror(io.errnoCode)).lowercased()
        }
    }
}
