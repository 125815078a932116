import Foundation

/// A request as the routes see it: method, path split from the query, body.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path without the query, e.g. `/api/v1/dates`.
    public var path: String
    /// The query's `name=value` pairs (percent-decoded).
    public var query: [String: String]
    /// The body's bytes.
    public var body: [UInt8]

    /// A request; `target` is the request line's target (`/path?query`).
    public init(method: String, target: String, body: [UInt8] = []) {
        self.method = method
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(halves[0]).removingPercentEncoding ?? String(halves[0])
                let value = halves.count == 2 ? (String(halves[1]).removingPercentEncoding ?? String(halves[1])) : ""
                query[name] = value
            }
        }
        self.query = query
        self.body = body
    }

    /// The path's segments: `/api/v1/dates/2025-01-15` → `["api", "v1", "dates", "2025-01-15"]`.
    public var segments: [Substring] { path.split(separator: "/") }
}

/// A response: status, content type, body, extra headers.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// Headers beside Content-Type, Content-Length and Connection.
    public var headers: [(String, String)]

    /// A response with `body` as it is.
    public init(status: Int, contentType: String, body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    /// Plain text (a newline is added).
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }

    /// An HTML page.
    public static func html(_ html: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(html.utf8))
    }

    /// `value` as JSON: snake_case keys as the types' coding keys say, sorted, slashes unescaped.
    public static func json(_ value: some Encodable, status: Int = 200) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        do {
            return HTTPResponse(status: status, contentType: "application/json", body: Array(try encoder.encode(value)) + [10])
        } catch {
            return .problem(500, "cannot encode the answer: \(error)")
        }
    }

    /// A JSON error: `{"error": message}`; `message` says what is wrong and what to do.
    public static func problem(_ status: Int, _ message: String) -> HTTPResponse {
        json(["error": message], status: status)
    }
}
