/// Cuts a byte stream into newline-terminated lines, keeping the unterminated rest for later.
/// Used by the reader (whole file at once) and the follower (whatever `tail -f` sees).
public struct JournalLineSplitter: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    private var searchFrom = 0

    /// An empty splitter.
    public init() {}

    /// Bytes received after the last newline.
    public var unterminatedByteCount: Int { buffer.count - start }

    /// Appends bytes read from the file.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            searchFrom -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line without its newline, or nil when only an unterminated rest is left.
    public mutating func nextLine() -> ArraySlice<UInt8>? {
        guard let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) else {
            searchFrom = buffer.count
            return nil
        }
        let line = buffer[start..<newline]
        start = newline + 1
        searchFrom = start
        return line
    }
}
