import PropcastWire
import Testing

@Suite struct EndpointTests {
    @Test func parsesHostPortIPv6AndDefaults() throws {
        #expect(try Endpoint(parsing: "10.0.0.5:7420") == Endpoint(host: "10.0.0.5", port: 7420))
        #expect(try Endpoint(parsing: "worker-a.example:81") == Endpoint(host: "worker-a.example", port: 81))
        #expect(try Endpoint(parsing: "[::1]:7420") == Endpoint(host: "::1", port: 7420))
        #expect(try Endpoint(parsing: "host", defaultPort: 7420) == Endpoint(host: "host", port: 7420))
        #expect(Endpoint(host: "::1", port: 5).description == "[::1]:5")
    }

    @Test func rejectsNonsenseWithTheTextInTheMessage() {
        for text in ["", ":7420", "host:", "host:99999", "host:abc", "[::1", "host"] {
            #expect(throws: WireError.self, "\(text)") { try Endpoint(parsing: text) }
        }
        do {
            _ = try Endpoint(parsing: "nohost:port")
        } catch {
            #expect("\(error)".contains("'nohost:port' is not HOST:PORT"))
        }
    }

    @Test func aWorkerWithoutAPortTakesTheDefaultAndSaysSo() throws {
        let bare = try Endpoint.worker(parsing: "localhost")
        #expect(bare.endpoint == Endpoint(host: "localhost", port: 7420) && bare.defaulted)
        let explicit = try Endpoint.worker(parsing: "10.0.0.5:7000")
        #expect(explicit.endpoint == Endpoint(host: "10.0.0.5", port: 7000) && !explicit.defaulted)
        let v6 = try Endpoint.worker(parsing: "[::1]")
        #expect(v6.endpoint.description == "[::1]:7420" && v6.defaulted)
        #expect(throws: WireError.self) { try Endpoint.worker(parsing: "a b") }
    }
}
