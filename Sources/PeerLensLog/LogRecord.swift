/// One record read from a log file: where it was, and either its raw fields or
/// why it could not even be parsed.
public struct LogRecord: Sendable {
    /// 1-based line number of the record's first line.
    public var line: Int
    /// The parsed fields, or a `.malformed` rejection.
    public var content: Result<RawRecord, Rejection>
    /// For CSV files without a `type` column: the type the file name declares.
    public var typeHint: EventType?
}

/// The formats `LogReader` understands.
public enum LogFormat: String, Sendable, Codable {
    case jsonLines = "jsonl"
    case csv

    /// The format a path's extension declares (`.jsonl`, `.ndjson`, `.json`, `.csv`, each optionally `.gz`).
    public static func detect(path: String) -> LogFormat? {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") { return .jsonLines }
        if name.hasSuffix(".csv") { return .csv }
        return nil
    }
}

/// Reads a log file record by record, in constant memory.
public protocol LogReader: AnyObject {
    /// The next record, or nil at the end of the file.
    func next() throws(LogReadError) -> LogRecord?
    /// Bytes of the file consumed so far (compressed bytes for gzip), for progress.
    var consumedBytes: Int64 { get }
    /// Size of the file on disk.
    var fileSize: Int64 { get }
}

/// Opens the right reader for `path`.
public func openLogReader(path: String) throws(LogReadError) -> any LogReader {
    switch LogFormat.detect(path: path) {
    case .jsonLines: return try JSONLinesReader(path: path)
    case .csv: return try CSVLogReader(path: path)
    case nil:
        // Fail on a missing file first: that is the more useful message.
        _ = try ByteStream(path: path)
        throw LogReadError(file: path, line: nil, problem: .unknownFormat)
    }
}
