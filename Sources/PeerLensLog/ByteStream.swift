import CZlib

/// A file opened for sequential reading, transparently decompressing gzip
/// (zlib reads uncompressed files as they are, so one path serves `.jsonl`,
/// `.jsonl.gz`, `.csv` and `.csv.gz`). Owns the zlib handle; closes it in `deinit`.
final class ByteStream {
    let path: String
    private let file: gzFile
    /// Size of the file on disk, for progress.
    let fileSize: Int64

    init(path: String) throws(LogReadError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LogReadError(file: path, line: nil, problem: .missing)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw LogReadError(file: path, line: nil, problem: .notAFile)
        }
        guard let handle = gzopen(path, "rb") else {
            throw LogReadError(file: path, line: nil, problem: .unreadable)
        }
        file = handle
        fileSize = Int64(info.st_size)
        gzbuffer(file, 1 << 20)
    }

    deinit { gzclose(file) }

    /// Bytes of the file consumed so far (compressed bytes for gzip).
    var consumedBytes: Int64 { Int64(gzoffset(file)) }

    /// Reads up to `count` bytes into `buffer`; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(LogReadError) -> Int {
        let n = gzread(file, buffer, UInt32(min(count, Int(Int32.max))))
        if n < 0 { throw LogReadError(file: path, line: nil, problem: .ioError(zlibMessage())) }
        if n == 0 {
            var code: Int32 = 0
            _ = gzerror(file, &code)
            if code == Z_BUF_ERROR { throw LogReadError(file: path, line: nil, problem: .truncatedGzip) }
            if code != Z_OK { throw LogReadError(file: path, line: nil, problem: .ioError(zlibMessage())) }
        }
        return Int(n)
    }

    private func zlibMessage() -> String {
        var code: Int32 = 0
        guard let text = gzerror(file, &code) else { return "read error" }
        return String(cString: text)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with a whole file (as opposed to one bad record): the file is
/// missing, unreadable, corrupt, or holds nothing valid. Nothing from such a
/// file is stored.
public struct LogReadError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        case missing
        case notAFile
        case unreadable
        case ioError(String)
        case truncatedGzip
        case unknownFormat
        case csvHeader(String)
        case csvMalformed(String)
        case csvUnknownEventType
        case noValidRecords
    }

    /// The file.
    public let file: String
    /// The line, when the problem is at a known place.
    public let line: Int?
    /// What is wrong.
    public let problem: Problem

    /// Creates an error.
    public init(file: String, line: Int?, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// A sentence a person understands.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        switch problem {
        case .missing: return "\(place): no such file"
        case .notAFile: return "\(place): not a regular file"
        case .unreadable: return "\(place): cannot be opened for reading (check permissions)"
        case let .ioError(text): return "\(place): read error (\(text))"
        case .truncatedGzip: return "\(place): gzip data ends early (truncated or corrupt file)"
        case .unknownFormat: return "\(place): unknown format (expected .jsonl, .jsonl.gz, .csv or .csv.gz)"
        case let .csvHeader(text): return "\(place): bad CSV header: \(text)"
        case let .csvMalformed(text): return "\(place): malformed CSV (\(text))"
        case .csvUnknownEventType:
            return "\(place): cannot tell which event type this CSV file holds: name it after the type (e.g. score.csv, match_end.csv) or add a 'type' column"
        case .noValidRecords: return "\(place): no valid records in the file"
        }
    }
}
