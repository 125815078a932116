import Glibc

/// The POSIX calls the writer makes, each turning a failure into ``JournalError/io(path:operation:errno:)``.
enum JournalFileIO {
    /// Opens (creating if needed) a journal for reading and appending.
    static func openForAppend(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "open", errno: errno) }
        return fd
    }

    /// The whole file from offset 0.
    static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(bytes.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(path: path, operation: "read", errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes every byte (retrying short writes and EINTR).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }

    /// Makes written data durable. `fdatasync` is enough for appends: it also syncs the file size.
    static func sync(_ fd: Int32, path: String) throws {
        guard fdatasync(fd) == 0 else { throw JournalError.io(path: path, operation: "fdatasync", errno: errno) }
    }

    /// Cuts the file to `length` bytes and syncs the cut.
    static func truncate(_ fd: Int32, to length: Int, path: String) throws {
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw JournalError.io(path: path, operation: "truncate to \(length) bytes", errno: errno)
        }
        guard fsync(fd) == 0 else { throw JournalError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Syncs a directory so a newly created file's name is durable.
    static func syncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "open directory", errno: errno) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw JournalError.io(path: path, operation: "fsync directory", errno: errno) }
    }
}
