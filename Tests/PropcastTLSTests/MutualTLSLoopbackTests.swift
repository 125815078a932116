import Foundation
import NIOCore
import NIOPosix
import PropcastTestSupport
import PropcastTLS
import PropcastWire
import Testing

/// Real sockets on 127.0.0.1, certificates from Ops/certs.sh: what mutual TLS accepts,
/// what it refuses, and that the worker keeps serving after every refusal.
@Suite(.serialized, .realProcesses) struct MutualTLSLoopbackTests {
    @Test func coordinatorAndWorkerHandshakeAndExchangeFrames() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        let tls = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        try await WireClient.withSession(host: "127.0.0.1", port: worker.port, tls: tls, nodeID: "c",
                                         configuration: .patientTestSession, group: MultiThreadedEventLoopGroup.singleton) { session in
            #expect(session.worker.nodeID == "loopback-worker")
            #expect(session.worker.slots == 3)
            #expect(session.peer.protocolVersion == "TLSv1.3")
            #expect(session.peer.certificate.role == .worker)
            for _ in 0..<20 { _ = try await session.ping() }
        }
    }

    @Test func clientFromAnotherCAIsRefusedAndTheWorkerServesOn() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let foreign = try await TestCertificates.make(hosts: [], prefix: "foreign")
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        // The foreign coordinator trusts our CA (so it would accept the worker) but its own
        // certificate is signed by another CA.
        let bundle = "\(foreign.directory)/both.pem"
        try (String(contentsOfFile: foreign.ca, encoding: .utf8) + String(contentsOfFile: certs.ca, encoding: .utf8))
            .write(toFile: bundle, atomically: true, encoding: .utf8)
        let intruder = try coordinatorContext(cert: foreign.coordinatorCert, key: foreign.coordinatorKey, ca: bundle)
        await #expect(throws: (any Error).self) { _ = try await pingWorker(port: worker.port, tls: intruder) }
        let good = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        #expect(try await pingWorker(port: worker.port, tls: good) == "loopback-worker")
    }

    @Test func serverWhoseSANDoesNotMatchIsRefusedByTheClient() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1", "worker-b.example"])
        // The worker listens on 127.0.0.1 but presents a certificate for worker-b.example.
        let worker = try await LoopbackWorker.start(certs: certs, host: "worker-b.example")
        defer { Task { await worker.stop() } }
        let tls = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        await #expect {
            _ = try await pingWorker(port: worker.port, tls: tls)
        } throws: { error in
            guard let error = error as? TLSError else { return false }
            return error.description.contains("IP address mismatch")
                && error.description.contains("does not name '127.0.0.1'")
        }
    }

    @Test func workerCertificateConnectingToAWorkerIsRefused() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        // A worker certificate that is even allowed for client auth still has role "worker".
        let dual = try await certs.issue(name: "dual-worker", organizationalUnit: "worker", commonName: "rogue",
                                         extendedKeyUsage: "serverAuth,clientAuth", subjectAltName: "IP:127.0.0.1")
        let rogue = try coordinatorContext(cert: dual.cert, key: dual.key, ca: certs.ca, role: .worker, accepting: [.worker])
        await #expect(throws: (any Error).self) { _ = try await pingWorker(port: worker.port, tls: rogue) }
        // The plain worker certificate (server auth only) is refused as well.
        let plain = try coordinatorContext(cert: certs.workerCert("127.0.0.1"), key: certs.workerKey("127.0.0.1"),
                                           ca: certs.ca, role: .worker, accepting: [.worker])
        await #expect(throws: (any Error).self) { _ = try await pingWorker(port: worker.port, tls: plain) }
        let good = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        #expect(try await pingWorker(port: worker.port, tls: good) == "loopback-worker")
    }

    @Test func plaintextClientIsDisconnectedAndTheWorkerServesOn() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: worker.port).get()
        try await channel.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).get()
        // The worker must hang up on its own (bounded by the test's deadline).
        try await withDeadline(.seconds(5)) { try await channel.closeFuture.get() }
        let good = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        #expect(try await pingWorker(port: worker.port, tls: good) == "loopback-worker")
    }

    @Test func silentClientIsCutOffByTheHandshakeTimeout() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: worker.port).get()
        // Sends nothing: the 3 s handshake timeout closes the connection.
        try await withDeadline(.seconds(8)) { try await channel.closeFuture.get() }
    }

    @Test func oversizedFrameEndsOnlyThatConnection() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs, wire: WireConfiguration(maxFrameBytes: 1024))
        defer { Task { await worker.stop() } }
        let tls = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        let group = MultiThreadedEventLoopGroup.singleton
        try await WireClient.withSession(host: "127.0.0.1", port: worker.port, tls: tls, nodeID: "a",
                                         configuration: .patientTestSession, group: group) { bystander in
            let goodbye = try await WireClient.withSession(host: "127.0.0.1", port: worker.port, tls: tls, nodeID: "b",
                                                           configuration: .patientTestSession, group: group) { session in
                var request = WirePredictRequest()
                request.playerLookup = String(repeating: "z", count: 5000)
                try await session.send(Envelope(.predictRequest(request)))
                do {
                    while true { _ = try await session.next() }
                } catch let error as WireError {
                    return error
                }
            }
            #expect(goodbye.code == .closedByPeer)
            #expect(goodbye.description.contains("frameTooLarge"))
            #expect(goodbye.description.contains("exceeds the limit of 1024 bytes"))
            _ = try await bystander.ping()  // the other connection is untouched
        }
    }
}

/// Runs `body`, failing if it takes longer than `timeout`.
func withDeadline(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await body()
            return true
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return false
        }
        let finished = try await group.next() ?? false
        group.cancelAll()
        if !finished { throw TestSupportError("did not finish within \(timeout)") }
    }
}
