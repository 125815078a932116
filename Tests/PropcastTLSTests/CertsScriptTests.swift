import Foundation
import PropcastTestSupport
import PropcastTLS
import Testing

/// `Ops/certs.sh` makes a usable pool, never replaces its CA, and only adds what is new.
@Suite struct CertsScriptTests {
    func digest(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func rerunKeepsTheCAAndAddsOnlyTheNewHost() async throws {
        let certs = try await TestCertificates.make(hosts: ["10.1.2.3", "worker-a.example"])
        let ca = try digest(certs.ca)
        let caKey = try digest("\(certs.directory)/ca.key")
        let coordinator = try digest(certs.coordinatorCert)
        let first = try digest(certs.workerCert("10.1.2.3"))

        let rerun = try await TestProcess.run("/bin/bash", [RepositoryPaths.ops("certs.sh"), "--dir", certs.directory,
                                                            "10.1.2.3", "10.1.2.4"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("keeping existing CA"))
        #expect(try digest(certs.ca) == ca)
        #expect(try digest("\(certs.directory)/ca.key") == caKey)
        #expect(try digest(certs.coordinatorCert) == coordinator)
        #expect(try digest(certs.workerCert("10.1.2.3")) == first)
        #expect(FileManager.default.fileExists(atPath: certs.workerCert("10.1.2.4")))
    }

    @Test func keysArePrivateAndCertificatesCarryRolesAndSANs() async throws {
        let certs = try await TestCertificates.make(hosts: ["10.1.2.3", "worker-a.example"])
        for key in ["ca.key", "coordinator.key", "worker-10.1.2.3.key", "worker-worker-a.example.key"] {
            #expect(try mode("\(certs.directory)/\(key)") == 0o600, "\(key)")
        }
        #expect(try CertificateInfo.read(pemFile: certs.coordinatorCert).role == .coordinator)
        #expect(try CertificateInfo.read(pemFile: certs.workerCert("10.1.2.3")).role == .worker)
        let text = try await TestProcess.run("/usr/bin/openssl", ["x509", "-in", certs.workerCert("10.1.2.3"), "-noout", "-text"])
        #expect(text.stdout.contains("IP Address:10.1.2.3"))
        #expect(text.stdout.contains("TLS Web Server Authentication"))
        let named = try await TestProcess.run("/usr/bin/openssl", ["x509", "-in", certs.workerCert("worker-a.example"), "-noout", "-text"])
        #expect(named.stdout.contains("DNS:worker-a.example"))
        let client = try await TestProcess.run("/usr/bin/openssl", ["x509", "-in", certs.coordinatorCert, "-noout", "-text"])
        #expect(client.stdout.contains("TLS Web Client Authentication"))
        let verify = try await TestProcess.run("/usr/bin/openssl", ["verify", "-CAfile", certs.ca, certs.coordinatorCert,
                                                                    certs.workerCert("10.1.2.3")])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
