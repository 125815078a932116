import Foundation
import NIOCore
import NIOPosix
import PropcastModels
import PropcastTestSupport
import PropcastTLS
import PropcastWire
import Testing

/// The real `propcast worker` binary, driven over the network like a coordinator would.
@Suite(.realProcesses) struct WorkerProcessTests {
    @Test func realWorkerPredictsServesMetricsAndDrainsOnSIGTERM() async throws {
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "worker-process")
        let worker = try TestProcess(try PropcastExecutable.path(), [
            "worker", "--listen", "127.0.0.1:0", "--slots", "2", "--node-id", "process-worker",
            "--models", WorkerFixture.modelsDirectory, "--metrics-listen", "127.0.0.1:0",
            "--cert", certificates.workerCert("127.0.0.1"), "--key", certificates.workerKey("127.0.0.1"),
            "--ca", certificates.ca,
        ])
        defer { worker.stop() }
        let ready = try await worker.waitForLine(containing: " listening on ")
        #expect(ready.hasPrefix("propcast worker process-worker listening on 127.0.0.1:"))
        #expect(ready.contains("(slots 2, models loaded in "))
        #expect(ready.hasSuffix(" ms, certificate CN=127.0.0.1)"))
        let port = try #require(Self.port(after: "listening on 127.0.0.1:", in: ready))
        let metricsLine = try await worker.waitForLine(containing: " metrics on http://")
        let metricsPort = try #require(Self.port(after: "http://127.0.0.1:", in: metricsLine))

        let coordinatorTLS = try TLSContext(configuration: TLSConfiguration(
            certificatePath: certificates.coordinatorCert, privateKeyPath: certificates.coordinatorKey,
            trustRootsPath: certificates.ca, role: .coordinator))
        let input = WorkerFixture.input()
        let result = try await WireClient.withSession(
            host: "127.0.0.1", port: port, tls: coordinatorTLS, nodeID: "process-test", configuration: WireConfiguration(heartbeatInterval: .seconds(10)),
            group: MultiThreadedEventLoopGroup.singleton
        ) { session -> WirePredictResult? in
            #expect(session.worker.slots == 2)
            #expect(session.worker.modelVersions.map(\.systemID) == SystemID.all.map(\.rawValue))
            try await session.send(Envelope(.predictRequest(WirePredictRequest(input, requestID: 1))))
            let answer = try await session.nextAnswer()
            await session.goodbye()
            guard case .result(let result) = answer else { return nil }
            return result
        }
        let answer = try #require(result, "the worker answered the request with something other than a result")
        let decoded = try answer.decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
        #expect(Set(decoded.rows.map(\.systemID)) == Set(SystemID.all))
        #expect(decoded.rows.count == SystemID.all.count * input.lineValues.count)
        let local = PredictionEngine(registry: try WorkerFixture.registry()).predict(input)
        #expect(decoded.rows.map(\.bitExactKey) == local.rows.map(\.bitExactKey))

        let metrics = try await RawHTTP.request("/metrics", port: metricsPort)
        #expect(metrics.hasPrefix("HTTP/1.1 200 OK"))
        #expect(metrics.contains("propcast_requests_total{outcome=\"result\"} 1"))
        #expect(metrics.contains("propcast_system_latency_seconds_count{system=\"xgboost_v1\"} 1"))
        #expect(metrics.contains("propcast_system_latency_seconds_count{system=\"ensemble_v1\"} 1"))  // it stayed 0 once
        #expect(metrics.contains("propcast_model_load_seconds "))
        let missing = try await RawHTTP.request("/other", port: metricsPort)
        #expect(missing.hasPrefix("HTTP/1.1 404 Not Found"))

        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit(timeout: .seconds(20)) == 0)
        #expect(worker.stderr.contains("draining"))
        #expect(worker.stderr.contains("drained: all connections closed"))
    }

    @Test func theMetricsPortIsOnTheListenHostAndReadyOnceTheWorkerServes() async throws {
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "worker-metrics-host")
        let worker = try TestProcess(try PropcastExecutable.path(), [
            "worker", "--listen", "127.0.0.1:0", "--metrics-port", "0", "--models", WorkerFixture.modelsDirectory,
            "--cert", certificates.workerCert("127.0.0.1"), "--key", certificates.workerKey("127.0.0.1"),
            "--ca", certificates.ca,
        ])
        defer { worker.stop() }
        let metricsLine = try await worker.waitForLine(containing: " metrics on http://")
        #expect(metricsLine.contains("metrics on http://127.0.0.1:"), "not on every interface: \(metricsLine)")
        let metricsPort = try #require(Self.port(after: "http://127.0.0.1:", in: metricsLine))
        _ = try await worker.waitForLine(containing: " listening on ")
        #expect(try await RawHTTP.request("/readyz", port: metricsPort).hasPrefix("HTTP/1.1 200 OK"))
        #expect(try await RawHTTP.request("/healthz", port: metricsPort).hasPrefix("HTTP/1.1 200 OK"))
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test func missingModelDirectoryExitsTwoNamingIt() async throws {
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "worker-models")
        let result = try await TestProcess.run(try PropcastExecutable.path(), [
            "worker", "--listen", "127.0.0.1:0", "--models", "/nonexistent/propcast-models",
            "--cert", certificates.workerCert("127.0.0.1"), "--key", certificates.workerKey("127.0.0.1"),
            "--ca", certificates.ca,
        ], timeout: .seconds(20))
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/propcast-models"))
        #expect(!result.stdout.contains("listening on"))
    }

    /// The port number that follows `prefix` in `line`.
    private static func port(after prefix: String, in line: String) -> Int? {
        guard let range = line.range(of: prefix) else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
