import CSV
import Foundation

/// Reads one CSV file of log events (optionally gzip-compressed) with
/// CSV.swift, streaming. The header row gives field names; list fields use
/// `|`; match components are columns `components.<name>`. The event type comes
/// from a `type` column or, failing that, from the file name (`score.csv`,
/// `scores.csv`, `match_end.csv.gz`).
///
/// Line numbers account for line breaks inside quoted cells. A quoted cell
/// left open at the end of the file would swallow every later row, so it is a
/// file-level error, not a rejected record.
public final class CSVLogReader: LogReader {
    private let path: String
    private let source: ByteStream
    private let reader: CSVReader
    private let input: ByteInputStream
    private let header: [String]
    private let typeHint: EventType?
    private var nextLine = 2

    /// Opens `path` and reads its header.
    public init(path: String) throws(LogReadError) {
        self.path = path
        source = try ByteStream(path: path)
        input = ByteInputStream(source)
        do {
            reader = try CSVReader(stream: input, hasHeaderRow: true)
        } catch {
            if let failure = input.failure { throw failure }
            throw LogReadError(file: path, line: 1, problem: .csvHeader("the file is empty or its first row cannot be read"))
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            throw LogReadError(file: path, line: 1, problem: .csvHeader("no header row"))
        }
        var columns = header
        // A UTF-8 byte-order mark is common in CSV exported from spreadsheets.
        if let first = columns.first, first.hasPrefix("\u{FEFF}") { columns[0] = String(first.dropFirst()) }
        columns = columns.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for column in columns {
            guard !column.isEmpty else { throw LogReadError(file: path, line: 1, problem: .csvHeader("a column has no name")) }
            guard seen.insert(column).inserted else {
                throw LogReadError(file: path, line: 1, problem: .csvHeader("a column name appears twice"))
            }
        }
        self.header = columns
        if columns.contains("type") {
            typeHint = nil
        } else {
            guard let type = Self.eventType(fromFileName: path) else {
                throw LogReadError(file: path, line: nil, problem: .csvUnknownEventType)
            }
            typeHint = type
        }
        nextLine = 2 + header.reduce(0) { $0 + Self.lineBreaks(in: $1) }
    }

    /// Bytes consumed so far (compressed bytes for gzip).
    public var consumedBytes: Int64 { source.consumedBytes }
    /// Size of the file on disk.
    public var fileSize: Int64 { source.fileSize }

    /// The event type a CSV file name declares: `score.csv`, `scores.csv`, `match_end.csv.gz`, `2026-03-score.csv`.
    public static func eventType(fromFileName path: String) -> EventType? {
        var name = Substring(path.split(separator: "/").last ?? Substring(path)).lowercased()
        for suffix in [".gz", ".csv"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        let candidates = [name] + name.split(whereSeparator: { $0 == "-" || $0 == "." }).map(String.init).reversed()
        for candidate in candidates {
            if let t = EventType(rawValue: candidate) { return t }
            if candidate.hasSuffix("s"), let t = EventType(rawValue: String(candidate.dropLast())) { return t }
            if candidate == "matches" { return .match }
        }
        return nil
    }

    private static func lineBreaks(in cell: String) -> Int {
        var count = 0
        var previousCR = false
        for byte in cell.utf8 {
            if byte == 10 { if !previousCR { count += 1 } } else if byte == 13 { count += 1 }
            previousCR = byte == 13
        }
        return count
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(LogReadError) -> LogRecord? {
        while true {
            guard let row = reader.next() else {
                if let failure = input.failure { throw failure }
                if reader.error != nil {
                    throw LogReadError(file: path, line: nextLine, problem: .csvMalformed("the file cannot be decoded as UTF-8 text"))
                }
                return nil
            }
            let line = nextLine
            let breaks = row.reduce(0) { $0 + Self.lineBreaks(in: $1) }
            nextLine += 1 + breaks
            if row.count == 1, row[0].isEmpty { continue } // blank line
            guard row.count == header.count else {
                if breaks > 0, reader.next() == nil {
                    throw LogReadError(file: path, line: line, problem: .csvMalformed("a quoted cell starting on this line is never closed"))
                }
                return LogRecord(line: line, content: .failure(Rejection(.malformed, "row has \(row.count) cells but the header has \(header.count)")), typeHint: typeHint)
            }
            let fields = zip(header, row).map { RawRecord.Field(key: $0, value: .string($1)) }
            return LogRecord(line: line, content: .success(RawRecord(fields: fields, isTextual: true)), typeHint: typeHint)
        }
    }
}

/// Adapts a `ByteStream` (plain or gzip file) to the `InputStream` CSV.swift
/// reads. It reads ahead so that `hasBytesAvailable` is exact: CSV.swift
/// treats a read that returns nothing after `hasBytesAvailable` as an error.
final class ByteInputStream: InputStream {
    private let source: ByteStream
    private var status: Stream.Status = .notOpen
    private(set) var failure: LogReadError?
    private let chunk = 1 << 16
    private var pending: UnsafeMutablePointer<UInt8>
    private var pendingStart = 0
    private var pendingEnd = 0

    init(_ source: ByteStream) {
        self.source = source
        pending = .allocate(capacity: chunk)
        super.init(data: Data())
    }

    deinit { pending.deallocate() }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { failure }

    override var hasBytesAvailable: Bool {
        guard status == .open else { return false }
        fillIfEmpty()
        return pendingEnd > pendingStart
    }

    private func fillIfEmpty() {
        guard pendingStart == pendingEnd, status == .open else { return }
        do {
            pendingStart = 0
            pendingEnd = try source.read(into: pending, count: chunk)
            if pendingEnd == 0 { status = .atEnd }
        } catch {
            failure = error as LogReadError
            status = .error
            pendingEnd = 0
        }
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        fillIfEmpty()
        if status == .error { return -1 }
        let n = min(len, pendingEnd - pendingStart)
        guard n > 0 else { return 0 }
        buffer.update(from: pending + pendingStart, count: n)
        pendingStart += n
        return n
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length len: UnsafeMutablePointer<Int>) -> Bool { false }
}
