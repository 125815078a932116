import Foundation
import PropcastTestSupport
import PropcastTLS
import Testing

/// Loading certificates fails fast, with the file and the reason in the message.
@Suite struct TLSContextTests {
    func configuration(_ certs: TestCertificates, cert: String? = nil, key: String? = nil, ca: String? = nil,
                       role: PeerRole = .coordinator) -> TLSConfiguration {
        TLSConfiguration(certificatePath: cert ?? certs.coordinatorCert, privateKeyPath: key ?? certs.coordinatorKey,
                         trustRootsPath: ca ?? certs.ca, role: role)
    }

    func expectError(_ configuration: TLSConfiguration, _ code: TLSErrorCode, containing text: String) {
        #expect {
            _ = try TLSContext(configuration: configuration)
        } throws: { error in
            guard let error = error as? TLSError else { return false }
            return error.code == code && error.description.contains(text)
        }
    }

    @Test func validCoordinatorCertificateLoads() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let context = try TLSContext(configuration: configuration(certs))
        #expect(context.certificate.role == .coordinator)
        #expect(context.certificate.commonName == "propcast-coordinator")
    }

    @Test func missingFileIsNamed() async throws {
        let certs = try await TestCertificates.make(hosts: [])
        expectError(configuration(certs, cert: "/nonexistent/c.pem"), .fileUnreadable,
                    containing: "certificate /nonexistent/c.pem: no such file")
        expectError(configuration(certs, key: "/nonexistent/c.key"), .fileUnreadable,
                    containing: "private key /nonexistent/c.key: no such file")
        expectError(configuration(certs, ca: certs.directory), .fileUnreadable, containing: "is a directory")
    }

    @Test func fileThatIsNotPEMIsNamed() async throws {
        let certs = try await TestCertificates.make(hosts: [])
        let junk = "\(certs.directory)/junk.pem"
        try "not a certificate".write(toFile: junk, atomically: true, encoding: .utf8)
        expectError(configuration(certs, cert: junk), .invalidCertificate, containing: "certificate \(junk): not a PEM certificate")
        expectError(configuration(certs, key: junk), .invalidPrivateKey, containing: "private key \(junk)")
    }

    @Test func keyOfAnotherCertificateIsAMismatch() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        expectError(configuration(certs, key: certs.workerKey("127.0.0.1")), .keyDoesNotMatchCertificate,
                    containing: "does not match certificate \(certs.coordinatorCert)")
    }

    @Test func expiredCertificateIsRefusedWithItsDate() async throws {
        let certs = try await TestCertificates.make(hosts: [])
        let expired = try await certs.makeExpiredCoordinator()
        expectError(configuration(certs, cert: expired.cert, key: expired.key), .certificateExpired,
                    containing: "expired (notAfter Jan  1 00:00:00 2021 GMT)")
    }

    @Test func certificateFromAnotherCAIsRefused() async throws {
        let ours = try await TestCertificates.make(hosts: [])
        let theirs = try await TestCertificates.make(hosts: [], prefix: "other-ca")
        expectError(configuration(ours, cert: theirs.coordinatorCert, key: theirs.coordinatorKey), .certificateNotFromCA,
                    containing: "does not verify against CA bundle \(ours.ca)")
    }

    @Test func workerCertificateCannotRunAsCoordinator() async throws {
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        expectError(configuration(certs, cert: certs.workerCert("127.0.0.1"), key: certs.workerKey("127.0.0.1")),
                    .wrongCertificateRole, containing: "has role 'worker' but this node runs as coordinator")
    }
}
