import CSimdJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads JSON Lines (optionally gzip-compressed) one record at a time with
/// simdjson, in constant memory: a fixed 4 MiB window slides over the file.
/// Blank lines are skipped; a record longer than 1 MiB is rejected and skipped.
public final class JSONLinesReader: LogReader {
    /// The longest record accepted, in bytes.
    public static let maxRecordBytes = 1 << 20

    private let stream: ByteStream
    private let parser: OpaquePointer
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity = 4 << 20
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var line = 0
    private var skippingOversizeRecord = false

    /// Opens `path` (plain or gzip).
    public init(path: String) throws(LogReadError) {
        stream = try ByteStream(path: path)
        guard let p = csj_parser_new() else { preconditionFailure("simdjson parser allocation failed") }
        parser = p
        buffer = .allocate(capacity: capacity + csj_padding())
        buffer.initialize(repeating: 0, count: capacity + csj_padding())
    }

    deinit {
        csj_parser_free(parser)
        buffer.deallocate()
    }

    /// Bytes consumed so far (compressed bytes for gzip).
    public var consumedBytes: Int64 { stream.consumedBytes }
    /// Size of the file on disk.
    public var fileSize: Int64 { stream.fileSize }

    /// The next record, or nil at the end of the file.
    public func next() throws(LogReadError) -> LogRecord? {
        while true {
            if let newline = findNewline() {
                let lineStart = start
                start = newline + 1
                if skippingOversizeRecord { skippingOversizeRecord = false; continue }
                line += 1
                if newline - lineStart > Self.maxRecordBytes { return oversize() }
                if let record = record(from: lineStart, to: newline) { return record }
                continue
            }
            if atEOF {
                guard start < end, !skippingOversizeRecord else { return nil }
                line += 1
                let lineStart = start
                start = end
                if end - lineStart > Self.maxRecordBytes { return oversize() }
                if let record = record(from: lineStart, to: end) { return record }
                return nil
            }
            if end - start > Self.maxRecordBytes {
                // No newline within the limit: reject this record and skip the rest of it.
                start = 0
                end = 0
                if skippingOversizeRecord { continue }
                skippingOversizeRecord = true
                line += 1
                return oversize()
            }
            try refill()
        }
    }

    private func oversize() -> LogRecord {
        LogRecord(line: line, content: .failure(Rejection(.malformed, "record is longer than 1 MiB")), typeHint: nil)
    }

    private func findNewline() -> Int? {
        guard start < end, let hit = memchr(buffer + start, 10, end - start) else { return nil }
        return buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private func refill() throws(LogReadError) {
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            end -= start
            start = 0
        }
        let n = try stream.read(into: buffer + end, count: capacity - end)
        if n == 0 { atEOF = true } else { end += n }
        // simdjson reads up to csj_padding() bytes past a document: keep them defined.
        memset(buffer + end, 0, csj_padding())
    }

    /// Parses bytes [from, to) of the window as one record; nil for a blank line.
    private func record(from: Int, to: Int) -> LogRecord? {
        Self.record(buffer + from, count: to - from, line: line, parser: parser)
    }

    /// Parses the `count` bytes at `bytes` (one line, without its line feed) as record number `line`; nil for a blank
    /// line. simdjson may read `csj_padding()` bytes past the end: they must be readable (the window's next bytes, or
    /// zeroed padding). Internal for the `jsonl-record` fuzz target, which feeds it arbitrary bytes.
    static func record(_ bytes: UnsafeMutablePointer<UInt8>, count: Int, line: Int, parser: OpaquePointer) -> LogRecord? {
        var last = count
        while last > 0, bytes[last - 1] == 13 || bytes[last - 1] == 32 || bytes[last - 1] == 9 { last -= 1 }
        var first = 0
        while first < last, bytes[first] == 32 || bytes[first] == 9 { first += 1 }
        if first == last { return nil }
        var values: UnsafePointer<csj_value>?
        var valueCount = 0
        // The byte after the record may be the next line's first byte, which simdjson
        // only reads as padding, so no copy is needed.
        let status = (bytes + first).withMemoryRebound(to: CChar.self, capacity: last - first) {
            csj_parse(parser, $0, last - first, &values, &valueCount)
        }
        guard status == 0, let values else {
            let reason = String(cString: csj_error_message(status))
            return LogRecord(line: line, content: .failure(Rejection(.malformed, "malformed JSON (\(reason))")), typeHint: nil)
        }
        let root = values[0]
        guard root.kind == Int32(CSJ_OBJECT.rawValue) else {
            return LogRecord(line: line, content: .failure(Rejection(.malformed, "a record must be a JSON object")), typeHint: nil)
        }
        let fields = Self.fields(of: root, in: values)
        return LogRecord(line: line, content: .success(RawRecord(fields: fields, isTextual: false)), typeHint: nil)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String {
        guard let pointer, count > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private static func fields(of object: csj_value, in values: UnsafePointer<csj_value>) -> [RawRecord.Field] {
        var out: [RawRecord.Field] = []
        out.reserveCapacity(Int(object.count))
        for i in 0..<Int(object.count) {
            let child = values[Int(object.first) + i]
            let name = FieldName.resolve(UnsafeRawBufferPointer(start: child.key, count: Int(child.key_len)))
            let key = name?.rawValue ?? string(child.key, Int(child.key_len))
            if name == .ts, UInt32(child.kind) == CSJ_STRING.rawValue, let str = child.str,
               let micros = Timestamp.parse(UnsafeBufferPointer(start: UnsafeRawPointer(str).assumingMemoryBound(to: UInt8.self), count: child.str_len)) {
                out.append(RawRecord.Field(key: key, name: name, value: .timestamp(micros)))
                continue
            }
            out.append(RawRecord.Field(key: key, name: name, value: value(child, in: values)))
        }
        return out
    }

    private static func value(_ v: csj_value, in values: UnsafePointer<csj_value>) -> RawValue {
        switch UInt32(v.kind) {
        case CSJ_NULL.rawValue: return .null
        case CSJ_BOOL.rawValue: return .bool(v.boolean != 0)
        case CSJ_NUMBER.rawValue: return .number(v.number, isInteger: v.is_integer != 0)
        case CSJ_STRING.rawValue: return .string(string(v.str, v.str_len))
        case CSJ_ARRAY.rawValue:
            return .array((0..<Int(v.count)).map { value(values[Int(v.first) + $0], in: values) })
        default:
            return .object(fields(of: v, in: values))
        }
    }
}
