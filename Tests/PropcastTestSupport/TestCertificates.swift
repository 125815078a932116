import Foundation

/// A certificate directory made by the real `Ops/certs.sh`, plus odd certificates
/// (expired, foreign CA) made with the openssl CLI for negative tests.
public struct TestCertificates: Sendable {
    /// The directory holding `ca.pem`, `coordinator.pem/.key`, `worker-HOST.pem/.key`.
    public let directory: String

    /// Runs `Ops/certs.sh --dir <new temp dir> hosts…`.
    public static func make(hosts: [String], prefix: String = "certs") async throws -> TestCertificates {
        let directory = try TemporaryDirectory(prefix: prefix).path
        let result = try await TestProcess.run("/bin/bash", [RepositoryPaths.ops("certs.sh"), "--dir", directory] + hosts)
        guard result.status == 0 else {
            throw TestSupportError("Ops/certs.sh failed (\(result.status)): \(result.stderr)")
        }
        return TestCertificates(directory: directory)
    }

    public var ca: String { "\(directory)/ca.pem" }
    public var coordinatorCert: String { "\(directory)/coordinator.pem" }
    public var coordinatorKey: String { "\(directory)/coordinator.key" }
    public func workerCert(_ host: String) -> String { "\(directory)/worker-\(host).pem" }
    public func workerKey(_ host: String) -> String { "\(directory)/worker-\(host).key" }

    /// Issues a coordinator certificate from this CA that expired in 2021 (via `openssl ca`
    /// with explicit dates). Returns (certificate, key) paths.
    public func makeExpiredCoordinator() async throws -> (cert: String, key: String) {
        let work = "\(directory)/expired-ca"
        try FileManager.default.createDirectory(atPath: "\(work)/new", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: "\(work)/index.txt"))
        try "1000\n".write(toFile: "\(work)/serial", atomically: true, encoding: .utf8)
        let config = """
        [ ca ]
        default_ca = expired
        [ expired ]
        dir = \(work)
        database = \(work)/index.txt
        new_certs_dir = \(work)/new
        serial = \(work)/serial
        default_md = sha256
        policy = anything
        copy_extensions = none
        x509_extensions = leaf
        [ anything ]
        organizationName = optional
        organizationalUnitName = optional
        commonName = supplied
        [ leaf ]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = clientAuth
        """
        try config.write(toFile: "\(work)/openssl.cnf", atomically: true, encoding: .utf8)
        let key = "\(directory)/expired-coordinator.key"
        let csr = "\(work)/expired.csr"
        let cert = "\(directory)/expired-coordinator.pem"
        try await openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        try await openssl(["req", "-new", "-key", key, "-subj", "/O=Propcast/OU=coordinator/CN=expired", "-out", csr])
        try await openssl(["ca", "-batch", "-config", "\(work)/openssl.cnf", "-cert", ca, "-keyfile", "\(directory)/ca.key",
                           "-startdate", "20200101000000Z", "-enddate", "20210101000000Z", "-in", csr, "-out", cert])
        return (cert, key)
    }

    /// Issues a certificate from this CA with any role (OU) and extended key usage, e.g. a
    /// worker certificate that is also allowed for client auth. Returns (certificate, key).
    public func issue(name: String, organizationalUnit: String, commonName: String,
                      extendedKeyUsage: String, subjectAltName: String? = nil) async throws -> (cert: String, key: String) {
        let key = "\(directory)/\(name).key"
        let csr = "\(directory)/\(name).csr"
        let cert = "\(directory)/\(name).pem"
        let extensions = "\(directory)/\(name).ext"
        var lines = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature",
                     "extendedKeyUsage=\(extendedKeyUsage)"]
        if let subjectAltName { lines.append("subjectAltName=\(subjectAltName)") }
        try lines.joined(separator: "\n").write(toFile: extensions, atomically: true, encoding: .utf8)
        try await openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        try await openssl(["req", "-new", "-key", key, "-subj", "/O=Propcast/OU=\(organizationalUnit)/CN=\(commonName)",
                           "-out", csr])
        try await openssl(["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", "\(directory)/ca.key", "-CAcreateserial",
                           "-days", "30", "-extfile", extensions, "-out", cert])
        return (cert, key)
    }

    private func openssl(_ arguments: [String]) async throws {
        let result = try await TestProcess.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else {
            throw TestSupportError("openssl \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
    }
}
