import Foundation
import PropcastTestSupport
import Testing

extension ServiceProcessTests {
    /// Off loopback the API is served only over mutual TLS with the pool's certificates, checked
    /// with curl (OpenSSL) as the client.
    @Suite struct HTTPSTests {
        @Test func offLoopbackTheAPIWantsAClientCertificateOfThePool() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            try await cluster.startWorkers(1)
            let certs = cluster.certs
            try await cluster.startCoordinator(date: cluster.dates[0], http: "0.0.0.0:0", extra: [
                "--poll-interval", "1h", "--http-cert", "\(certs.directory)/coordinator-api-127.0.0.1.pem",
                "--http-key", "\(certs.directory)/coordinator-api-127.0.0.1.key",
            ])
            #expect(cluster.base.hasPrefix("https://0.0.0.0:"), "\(cluster.base)")
            let port = try #require(cluster.base.split(separator: ":").last)
            let url = "https://127.0.0.1:\(port)/healthz"
            let trusted = ["-s", "-S", "--max-time", "10", "--cacert", certs.ca]
            let client = ["--cert", certs.coordinatorCert, "--key", certs.coordinatorKey]
            let ok = try await TestProcess.run("/usr/bin/curl", trusted + client + ["-w", "%{http_code}", url])
            #expect(ok.status == 0 && ok.stdout.hasSuffix("200"), "\(ok.stdout) \(ok.stderr)")
            let anonymous = try await TestProcess.run("/usr/bin/curl", trusted + [url])
            #expect(anonymous.status != 0, "no client certificate was let in: \(anonymous.stdout)")
            let workerCert = try await TestProcess.run("/usr/bin/curl", trusted + [
                "--cert", certs.workerCert("127.0.0.1"), "--key", certs.workerKey("127.0.0.1"), url])
            #expect(workerCert.status != 0, "a worker certificate was let in: \(workerCert.stdout)")
            let plain = try await TestProcess.run("/usr/bin/curl", ["-s", "--max-time", "10", "http://127.0.0.1:\(port)/healthz"])
            #expect(plain.status != 0 || !plain.stdout.contains("ok"), "plain HTTP was answered off loopback")
        }
    }
}
