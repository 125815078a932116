import Logging
import NIOPosix
import Prometheus
import PropcastWorker
import ServiceLifecycle
import Testing

@Suite struct MetricsServerTests {
    @Test func metricsHealthAndReadinessAreServedAndKeepAliveRequestsAreAnswered() async throws {
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

    @Test func everyWorkerMetricHasHelpAndReadinessFollowsTheWorker() async throws {
        try await withDeadline(.seconds(60), "the metrics server") {
            let registry = PrometheusCollectorRegistry()
            let metrics = WorkerMetrics(factory: PrometheusMetricsFactory(registry: registry))
            metrics.slots.record(4)
            let readiness = WorkerReadiness()
            let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, registry: registry, readiness: readiness,
                                                      group: MultiThreadedEventLoopGroup.singleton) { metrics.sampleProcess() }
            let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
            let running = Task { try await group.run() }
            let port = try #require(server.localAddress.port)

            let response = try await RawHTTP.request("/metrics", port: port)
            let text = try #require(response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) })
            let lines = text.components(separatedBy: "\n")
            let types = lines.filter { $0.hasPrefix("# TYPE propcast_") }
            #expect(types.count >= 10)
            for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
                let name = line.split(separator: " ")[2]
                #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(name) has no HELP line: \(lines[max(0, index - 2)...index])")
            }
            #expect(text.contains("propcast_build_info{version=\"\(PropcastVersion.number)\",protocol=\"3\"} 1"))
            #expect(text.contains("\npropcast_slots 4"))
            let memory = lines.first { $0.hasPrefix("propcast_process_resident_memory_bytes ") }
            #expect((memory?.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 1_000_000, "\(memory ?? "none")")

            #expect(try await RawHTTP.request("/healthz", port: port).hasPrefix("HTTP/1.1 200 OK"))
            #expect(try await RawHTTP.request("/readyz", port: port).hasPrefix("HTTP/1.1 503 Service Unavailable"))
            readiness.set(.serving)
            #expect(try await RawHTTP.request("/readyz", port: port).hasPrefix("HTTP/1.1 200 OK"))
            readiness.set(.draining)
            let draining = try await RawHTTP.request("/readyz", port: port)
            #expect(draining.hasPrefix("HTTP/1.1 503") && draining.hasSuffix("not ready: draining\n"))

            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
