import PropcastJournal
import Testing

struct CRC32CTests {
    @Test func checkValueOf123456789IsE3069283() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
    }

    // RFC 3720 (iSCSI) appendix B.4 test vectors: an independent oracle for the slice-by-8 path.
    @Test func matchesTheRFC3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map(UInt8.init)) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map(UInt8.init)) == 0x113F_DB5C)
    }

    @Test func emptyInputChecksumsToZero() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func sliceBy8AgreesWithBytewiseForEveryLengthAndAlignment() {
        let data = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for start in 0..<9 {
            for end in start...data.count {
                let slice = Array(data[start..<end])
                #expect(CRC32C.checksum(slice) == bytewise(slice), "bytes \(start)..<\(end)")
            }
        }
    }

    private func bytewise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
