import CLibPQ

/// The rows of one statement (text format), freed with the value.
public final class PostgresResult: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQclear(pointer)
    }

    /// Rows returned.
    public var rowCount: Int { Int(PQntuples(pointer)) }

    /// Rows an INSERT, UPDATE, DELETE or COPY changed (0 for other statements).
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(pointer))) ?? 0 }

    /// Columns per row.
    public var columnCount: Int { Int(PQnfields(pointer)) }

    /// Whether the cell is NULL.
    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(pointer, Int32(row), Int32(column)) == 1
    }

    /// The cell's text (empty for NULL; check ``isNull(_:_:)``).
    public func text(_ row: Int, _ column: Int) -> String {
        let count = Int(PQgetlength(pointer, Int32(row), Int32(column)))
        guard let start = PQgetvalue(pointer, Int32(row), Int32(column)) else { return "" }
        return start.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    /// The cell parsed as a number, nil for NULL or text that is not one.
    public func number(_ row: Int, _ column: Int) -> Double? {
        isNull(row, column) ? nil : Double(text(row, column))
    }

    /// The column's type, as one of the kinds the store reads.
    public func kind(of column: Int) -> PostgresColumnKind {
        switch PQftype(pointer, Int32(column)) {
        case 20, 21, 23: .integer  // int8, int2, int4
        case 700, 701, 1700: .real  // float4, float8, numeric
        case 25, 1043, 1042, 19: .text  // text, varchar, bpchar, name
        default: .other
        }
    }
}

/// The column types a store row is read as.
public enum PostgresColumnKind: Sendable, Equatable {
    case integer, real, text, other
}

/// Text-format COPY rows, buffered and sent to the server in 64 KiB pieces.
public struct CopyWriter {
    private let connection: OpaquePointer
    private var buffer: [UInt8] = []
    /// Rows written so far.
    public private(set) var rows = 0

    init(connection: OpaquePointer) {
        self.connection = connection
        buffer.reserveCapacity(1 << 16)
    }

    private var fieldsInRow = 0

    /// Appends one row: tab-separated fields, nil as `\N`, text escaped as COPY requires.
    public mutating func row(_ fields: [String?]) throws {
        for field in fields { self.field(field) }
        try endRow()
    }

    /// Appends the next field of the current row (nil as `\N`); ``endRow()`` ends the row.
    public mutating func field(_ text: String?) {
        if fieldsInRow > 0 { buffer.append(0x09) }
        fieldsInRow += 1
        guard var text else {
            buffer.append(contentsOf: [0x5C, 0x4E])  // \N
            return
        }
        let plain = text.withUTF8 { utf8 -> Bool in
            guard !utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return false }
            buffer.append(contentsOf: utf8)  // the common case: nothing to escape
            return true
        }
        guard !plain else { return }
        for byte in text.utf8 {
            switch byte {
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            default: buffer.append(byte)
            }
        }
    }

    /// Ends the current row; sends the buffer once it holds 64 KiB.
    public mutating func endRow() throws {
        buffer.append(0x0A)
        fieldsInRow = 0
        rows += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Sends what is buffered.
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else {
            throw PostgresError(.unreachable, "COPY data could not be sent: \(PostgresConnection.firstLine(PQerrorMessage(connection)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
