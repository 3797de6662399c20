import Foundation

/// Reads one CSV file of log events (optionally gzip-compressed) with
/// `CSVRowReader`, streaming. The header row gives field names; list fields use
/// `|`; match components are columns `components.<name>`. The event type comes
/// from a `type` column or, failing that, from the file name (`score.csv`,
/// `scores.csv`, `match_end.csv.gz`).
///
/// Line numbers account for line breaks inside quoted cells. A row that is not
/// valid UTF-8 is rejected (its line is known: rows are found byte by byte). A
/// quoted cell left open at the end of the file would swallow every later row,
/// so it is a file-level error, not a rejected record.
public final class CSVLogReader: LogReader {
    private let path: String
    private let reader: CSVRowReader
    private let header: [String]
    private let typeHint: EventType?

    /// Opens `path` and reads its header.
    public init(path: String) throws(LogReadError) {
        self.path = path
        reader = try CSVRowReader(path: path)
        guard try reader.next() else {
            throw LogReadError(file: path, line: 1, problem: .csvHeader("the file is empty or its first row cannot be read"))
        }
        guard let header = reader.strings() else {
            throw LogReadError(file: path, line: 1, problem: .csvMalformed("the file cannot be decoded as UTF-8 text"))
        }
        // (A UTF-8 byte-order mark, common in CSV exported from spreadsheets, is skipped by the reader.)
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
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
    }

    /// Bytes consumed so far (compressed bytes for gzip).
    public var consumedBytes: Int64 { reader.consumedBytes }
    /// Size of the file on disk.
    public var fileSize: Int64 { reader.fileSize }

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

    /// The next record, or nil at the end of the file.
    public func next() throws(LogReadError) -> LogRecord? {
        while try reader.next() {
            let line = reader.line
            if reader.isBlank { continue }
            guard reader.count == header.count else {
                return LogRecord(line: line, content: .failure(Rejection(.malformed, "row has \(reader.count) cells but the header has \(header.count)")), typeHint: typeHint)
            }
            guard let row = reader.strings() else {
                return LogRecord(line: line, content: .failure(Rejection(.malformed, "the row is not valid UTF-8 text")), typeHint: typeHint)
            }
            let fields = zip(header, row).map { RawRecord.Field(key: $0, value: .string($1)) }
            return LogRecord(line: line, content: .success(RawRecord(fields: fields, isTextual: true)), typeHint: typeHint)
        }
        return nil
    }
}
