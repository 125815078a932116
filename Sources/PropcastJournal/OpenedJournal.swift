import Foundation
import Glibc
import PropcastModels

/// The blocking part of opening a journal for writing: lock, read, verify, cut a torn tail.
struct OpenedJournal: Sendable {
    let fd: Int32
    let lockFD: Int32
    let position: JournalScanPosition
    let index: JournalIndex
    let report: JournalOpenReport

    static func open(directory: JournalDirectory, date: GameDate, lockWaitMilliseconds: Int) throws -> OpenedJournal {
        do {
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        } catch {
            throw JournalError.fileSystem(path: directory.path, operation: "create directory",
                                          reason: error.localizedDescription)
        }
        let path = directory.journalPath(for: date)
        let lockFD = try JournalLock.acquire(path: directory.lockPath(for: date), date: date,
                                             waitMilliseconds: lockWaitMilliseconds)
        let created = !FileManager.default.fileExists(atPath: path)
        let fd: Int32
        do {
            fd = try JournalFileIO.openForAppend(path)
        } catch {
            JournalLock.release(lockFD)
            throw error
        }
        do {
            if created { try JournalFileIO.syncDirectory(directory.path) }
            let bytes = try JournalFileIO.readAll(fd, path: path)
            let contents = JournalReader.scan(bytes: bytes, path: path, date: date, keepRecords: false)
            var report = JournalOpenReport(path: path, created: created, records: contents.index.recordCount,
                                           lastSeq: 0, cutTail: nil, cutByteCount: 0)
            switch contents.verdict {
            case .corrupt(let defect):
                throw JournalError.corrupt(path: path, defect: defect)
            case .clean(let position):
                report.lastSeq = position.lastSeq
                return OpenedJournal(fd: fd, lockFD: lockFD, position: position, index: contents.index, report: report)
            case .tornTail(let position, let torn):
                try JournalFileIO.truncate(fd, to: position.byteCount, path: path)
                report.lastSeq = position.lastSeq
                report.cutTail = torn
                report.cutByteCount = bytes.count - position.byteCount
                return OpenedJournal(fd: fd, lockFD: lockFD, position: position, index: contents.index, report: report)
            }
        } catch {
            Glibc.close(fd)
            JournalLock.release(lockFD)
            throw error
        }
    }
}
