import Logging
import NIOPosix
import Prometheus
import PropcastWorker
import ServiceLifecycle
import Testing

@Suite struct MetricsServerTests {
    @Test func onlyGetMetricsIsServedAndKeepAliveRequestsAreAnswered() async throws {
        try await withDeadline(.seconds(60), "the metrics server") {
            let registry = PrometheusCollectorRegistry()
            registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "propcast_test", unitName: "total", helpText: ""))
                .increment(by: Int64(3))
            let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, registry: registry,
                                                      group: MultiThreadedEventLoopGroup.singleton)
            let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
            let running = Task { try await group.run() }
            let port = try #require(server.localAddress.port)

            let metrics = try await RawHTTP.request("/metrics?debug=1", port: port)
            #expect(metrics.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(metrics.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"))
            #expect(metrics.hasSuffix("\r\n\r\n# TYPE propcast_test_total counter\npropcast_test_total 3\n"))
            #expect(try await RawHTTP.request("/metrics", method: "POST", port: port).hasPrefix("HTTP/1.1 404 Not Found"))
            #expect(try await RawHTTP.request("/", port: port).hasPrefix("HTTP/1.1 404 Not Found"))

            // Two requests on one keep-alive connection, the second closing it.
            let both = try await RawHTTP.exchange(
                "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                port: port)
            #expect(both.components(separatedBy: "HTTP/1.1 200 OK").count == 2)
            #expect(both.components(separatedBy: "HTTP/1.1 404 Not Found").count == 2)

            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
