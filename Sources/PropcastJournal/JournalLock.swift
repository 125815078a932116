import Glibc
import PropcastModels

/// The one-writer-per-date rule: an exclusive `flock` on `<date>.journal.lock`, which also
/// holds the owner's pid so a second writer can say who is running. The lock (not the file's
/// existence) is what counts; the kernel drops it when the owner exits, even by SIGKILL.
enum JournalLock {
    /// Takes the lock, retrying for up to `waitMilliseconds` (a just-closed lock can stay held
    /// for a moment by a child process between its fork and exec); returns the locked descriptor.
    /// Throws ``JournalError/locked(date:pid:lockPath:)`` when another open file description holds it.
    static func acquire(path: String, date: GameDate, waitMilliseconds: Int) throws -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "open lock file", errno: errno) }
        var waited = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK, waited < waitMilliseconds {
            usleep(10_000)
            waited += 10
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = code == EWOULDBLOCK ? readPID(fd) : nil
            Glibc.close(fd)
            if code == EWOULDBLOCK { throw JournalError.locked(date: date, pid: holder, lockPath: path) }
            throw JournalError.io(path: path, operation: "flock", errno: code)
        }
        let text = Array("\(getpid())\n".utf8)
        let written = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == text.count, ftruncate(fd, off_t(text.count)) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw JournalError.io(path: path, operation: "record pid in lock file", errno: code)
        }
        return fd
    }

    /// The pid recorded by the process holding the lock at `path` (0 when it recorded none),
    /// or nil when nobody holds it. Never creates the file; probes with a shared lock that it
    /// drops at once.
    static func holder(path: String) -> Int32? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return errno == EWOULDBLOCK ? (readPID(fd) ?? 0) : nil
    }

    /// Releases the lock by closing its descriptor.
    static func release(_ fd: Int32) {
        Glibc.close(fd)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return Int32(text.trimmingWhitespace())
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
