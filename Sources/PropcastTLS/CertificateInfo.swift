import COpenSSL
import Foundation

/// What Propcast needs to know about an X.509 certificate: who it names, the role it
/// grants, and when it is valid. Read from a PEM file or from a TLS peer.
public struct CertificateInfo: Sendable, Equatable {
    /// Subject common name (CN), or "" when absent.
    public let commonName: String
    /// Subject organizational unit (OU), which carries the Propcast role.
    public let organizationalUnit: String
    /// The role named by the OU, or nil when the OU names no Propcast role.
    public var role: PeerRole? { PeerRole(rawValue: organizationalUnit) }
    /// Start of validity as OpenSSL prints it (e.g. `Nov 24 19:00:00 2026 GMT`).
    public let notBefore: String
    /// End of validity, printed the same way.
    public let notAfter: String
    /// Whether the current time is before `notBefore`.
    public let isNotYetValid: Bool
    /// Whether the current time is after `notAfter`.
    public let isExpired: Bool

    /// Reads the fields of an in-memory certificate (the caller keeps ownership of `x509`).
    init(x509: OpaquePointer) {
        let subject = X509_get_subject_name(x509)
        commonName = CertificateInfo.nameEntry(subject, nid: NID_commonName)
        organizationalUnit = CertificateInfo.nameEntry(subject, nid: NID_organizationalUnitName)
        let before = X509_get0_notBefore(x509)
        let after = X509_get0_notAfter(x509)
        notBefore = CertificateInfo.format(before)
        notAfter = CertificateInfo.format(after)
        isNotYetValid = X509_cmp_current_time(before) > 0
        isExpired = X509_cmp_current_time(after) < 0
    }

    /// Reads the first certificate of a PEM file.
    /// - Throws: ``TLSError`` `.fileUnreadable` or `.invalidCertificate`, naming the file.
    public static func read(pemFile path: String) throws -> CertificateInfo {
        let x509 = try loadX509(pemFile: path)
        defer { X509_free(x509) }
        return CertificateInfo(x509: x509)
    }

    /// Loads the first certificate of a PEM file; the caller must `X509_free` it.
    static func loadX509(pemFile path: String) throws -> OpaquePointer {
        try requireReadable(path, what: "certificate")
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError(.fileUnreadable, "certificate \(path): cannot open (\(TLSError.drainOpenSSLErrors()))")
        }
        defer { BIO_free(bio) }
        guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else {
            throw TLSError(.invalidCertificate,
                           "certificate \(path): not a PEM certificate (\(TLSError.drainOpenSSLErrors()))")
        }
        return x509
    }

    /// Throws a clear error unless `path` is an existing, readable regular file.
    static func requireReadable(_ path: String, what: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TLSError(.fileUnreadable, "\(what) \(path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw TLSError(.fileUnreadable, "\(what) \(path): is a directory, expected a PEM file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TLSError(.fileUnreadable, "\(what) \(path): not readable by this user (check owner and mode)")
        }
    }

    private static func nameEntry(_ name: OpaquePointer?, nid: Int32) -> String {
        guard let name else { return "" }
        var buffer = [CChar](repeating: 0, count: 256)
        let length = X509_NAME_get_text_by_NID(name, nid, &buffer, Int32(buffer.count))
        return length > 0 ? String(nullTerminated: buffer) : ""
    }

    private static func format(_ time: UnsafePointer<ASN1_TIME>?) -> String {
        guard let time, let bio = BIO_new(BIO_s_mem()) else { return "?" }
        defer { BIO_free(bio) }
        ASN1_TIME_print(bio, time)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = BIO_read(bio, &buffer, Int32(buffer.count))
        return count > 0 ? String(decoding: buffer[0..<Int(count)], as: UTF8.self) : "?"
    }
}

extension String {
    /// Decodes a C character buffer up to its first NUL as UTF-8.
    init(nullTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
