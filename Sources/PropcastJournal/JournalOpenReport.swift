/// What ``JournalWriter/open(directory:date:configuration:)`` found.
public struct JournalOpenReport: Sendable, Hashable, CustomStringConvertible {
    /// The journal file.
    public var path: String
    /// Whether the file was created by this open.
    public var created: Bool
    /// Valid records found.
    public var records: Int
    /// The last valid seq (0 when empty).
    public var lastSeq: UInt64
    /// The torn record cut from the end, if there was one.
    public var cutTail: JournalDefect?
    /// How many bytes were cut.
    public var cutByteCount: Int

    /// `journal x: 120 records (last seq 120); cut torn tail at line 121 (37 bytes): …`.
    public var description: String {
        var text = "journal \(path): \(created ? "created" : "\(records) records (last seq \(lastSeq))")"
        if let cutTail {
            text += "; cut torn tail at line \(cutTail.line) (\(cutByteCount) bytes): \(cutTail.kind)"
        }
        return text
    }
}
