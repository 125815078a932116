import COpenSSL

/// SHA-256 through the system libcrypto (the same library the TLS layer uses).
public enum SHA256Digest {
    /// The algorithm, fetched once: an implicit fetch on every digest takes a lock in
    /// OpenSSL 3. An `EVP_MD` is immutable once fetched, so sharing it across threads is safe.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA2-256", nil)

    /// The 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, algorithm ?? EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "libcrypto SHA-256 failed")  // cannot fail for valid input
        return out
    }

    /// Lowercase hex of the SHA-256 digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String { hexDigits(hash(bytes)) }

    /// Lowercase hex of `bytes` as they are.
    public static func hexDigits(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigit(byte >> 4))
            out.append(hexDigit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lowercase hex digit of a value 0–15.
    public static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 48 + value : 87 + value }
}
