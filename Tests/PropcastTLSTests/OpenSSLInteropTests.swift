import Foundation
import NIOCore
import NIOPosix
import PropcastTestSupport
import PropcastTLS
import PropcastWire
import Synchronization
import Testing

/// The openssl CLI as an independent peer: it must interoperate with our TLS handler in
/// both directions, and be refused without a certificate.
@Suite(.serialized, .realProcesses) struct OpenSSLInteropTests {
    func frame(_ envelope: Envelope) throws -> Data {
        let payload: [UInt8] = try envelope.serializedBytes()
        var length = UInt32(payload.count).bigEndian
        return Data(bytes: &length, count: 4) + Data(payload)
    }

    @Test func opensslClientWithCoordinatorCertificateGetsTheWorkersHello() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        let client = try TestProcess("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(worker.port)", "-cert", certs.coordinatorCert,
            "-key", certs.coordinatorKey, "-CAfile", certs.ca, "-verify_return_error", "-verify_ip", "127.0.0.1",
            "-quiet",
        ])
        defer { client.stop() }
        var hello = WireHello()
        hello.role = .coordinator
        hello.protocolVersion = ProtocolVersion.current
        hello.minProtocolVersion = ProtocolVersion.minimumSupported
        hello.nodeID = "openssl-s_client"
        client.write(try frame(Envelope(.hello(hello))))
        try await client.waitUntil(timeout: .seconds(10), "the worker's Hello frame") { out, _ in
            guard out.count >= 4 else { return false }
            let length = out.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            return out.count >= 4 + length
        }
        let bytes = client.stdoutBytes
        let length = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        let reply = try Envelope(serializedBytes: [UInt8](bytes.dropFirst(4).prefix(length)))
        #expect(reply.hello.role == .worker)
        #expect(reply.hello.nodeID == "loopback-worker")
        #expect(reply.hello.slots == 3)
        #expect(reply.hello.protocolVersion == ProtocolVersion.current)
    }

    @Test func opensslClientWithoutCertificateIsRefused() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let worker = try await LoopbackWorker.start(certs: certs)
        defer { Task { await worker.stop() } }
        let client = try TestProcess("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(worker.port)", "-CAfile", certs.ca, "-verify_return_error",
        ])
        defer { client.stop() }
        client.write(Data("hello\n".utf8))
        let status = try await client.waitForExit(timeout: .seconds(10))
        #expect(status != 0)
        #expect(client.stderr.contains("certificate required"), "s_client said: \(client.stderr)")
        let good = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        #expect(try await pingWorker(port: worker.port, tls: good) == "loopback-worker")
    }

    @Test func ourClientCompletesAHandshakeWithOpensslServerRequiringClientCertificates() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let server = try TestProcess("/usr/bin/openssl", [
            "s_server", "-accept", "127.0.0.1:0", "-cert", certs.workerCert("127.0.0.1"),
            "-key", certs.workerKey("127.0.0.1"), "-CAfile", certs.ca, "-Verify", "1", "-verify_return_error",
            "-naccept", "1",
        ])
        defer { server.stop() }
        let acceptLine = try await server.waitForLine(containing: "ACCEPT")
        let port = try #require(acceptLine.split(separator: ":").last.flatMap { Int($0) })
        let tls = try coordinatorContext(cert: certs.coordinatorCert, key: certs.coordinatorKey, ca: certs.ca)
        let observed = Observed()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(tls.makeClientHandler(serverName: "127.0.0.1"))
                    try channel.pipeline.syncOperations.addHandler(PeerRecorder(observed: observed))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        // Written before the handshake finishes: buffered, then sent encrypted.
        try await channel.writeAndFlush(ByteBuffer(string: "propcast-says-hello\n")).get()
        try await server.waitForLine(containing: "propcast-says-hello")
        let peer = try #require(observed.peer)
        #expect(peer.certificate.role == .worker)
        #expect(peer.protocolVersion == "TLSv1.3")
        try await channel.close().get()
        // Our close sends close_notify, which s_server reports as a clean shutdown.
        try await server.waitUntil(timeout: .seconds(5), "s_server to see close_notify") { out, _ in
            String(decoding: out, as: UTF8.self).contains("DONE")
        }
    }
}

/// Records the peer announced by the TLS handler.
final class Observed: Sendable {
    private let storage = Mutex<TLSPeer?>(nil)
    var peer: TLSPeer? { storage.withLock { $0 } }
    func record(_ peer: TLSPeer) { storage.withLock { $0 = peer } }
}

final class PeerRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let observed: Observed
    init(observed: Observed) { self.observed = observed }
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let peer) = event { observed.record(peer) }
        context.fireUserInboundEventTriggered(event)
    }
}
