#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level reader of CSV files (RFC 4180), plain or gzip-compressed, one row at a time: the one CSV reader
/// of PeerLens (ingest's CSV logs, `--predictions` files, the Stack Exchange dump).
///
/// - Cells are separated by `,`; rows end with LF, CRLF or a lone CR.
/// - A cell that starts with `"` is quoted: it may hold commas and line breaks, and `""` stands for one `"`.
///   A `"` elsewhere is an ordinary byte (lenient, as spreadsheets write them).
/// - A UTF-8 byte-order mark at the start of the file is skipped.
/// - A quoted cell still open at the end of the file is an error for the whole file: it would otherwise
///   swallow every later row.
///
/// Cells are kept as bytes in one buffer per row, so reading numbers (`double(_:)`) makes no strings; `string(_:)`
/// checks UTF-8. Line numbers count line breaks inside quoted cells. Owns its `ByteStream` (closed in its `deinit`).
public final class CSVRowReader {
    /// The file as given.
    public let path: String
    private let source: ByteStream
    private let capacity = 1 << 20
    private let chunk: UnsafeMutablePointer<UInt8>
    private var position = 0
    private var end = 0
    private var started = false
    private var exhausted = false
    /// The current row's cells, each followed by a NUL byte (so that `strtod` can read a cell in place).
    private var cells: [UInt8] = []
    /// Where each cell starts in `cells`, plus one past the last cell's NUL.
    private var starts: [Int] = [0]
    private var quotedRow = false
    private var upcomingLine = 1

    /// The line on which the current row starts (1-based).
    public private(set) var line = 0

    /// Opens `path` (gzip is detected and decompressed).
    ///
    /// - Throws: `LogReadError` when the file is missing, not a regular file or unreadable.
    public init(path: String) throws(LogReadError) {
        self.path = path
        source = try ByteStream(path: path)
        chunk = .allocate(capacity: capacity)
        cells.reserveCapacity(4096)
    }

    deinit { chunk.deallocate() }

    /// Bytes consumed so far (compressed bytes for gzip).
    public var consumedBytes: Int64 { source.consumedBytes }
    /// Size of the file on disk.
    public var fileSize: Int64 { source.fileSize }

    /// Number of cells in the current row.
    public var count: Int { starts.count - 1 }

    /// Whether the current row is an empty line (one empty, unquoted cell).
    public var isBlank: Bool { count == 1 && starts[1] == 1 && !quotedRow }

    /// Line breaks inside the current row's quoted cells.
    public var lineBreaksInRow: Int { upcomingLine - line - 1 }

    /// Reads the next row.
    ///
    /// - Returns: false at the end of the file.
    /// - Throws: `LogReadError` for a read error, truncated gzip data, or a quoted cell never closed.
    public func next() throws(LogReadError) -> Bool {
        // The loop works on locals (the arrays taken out of the object, so still uniquely referenced): stored
        // properties of a class would cost an exclusivity check on every byte.
        var cells = self.cells, starts = self.starts
        self.cells = []
        self.starts = []
        var position = self.position, end = self.end, upcomingLine = self.upcomingLine
        defer {
            self.cells = cells
            self.starts = starts
            self.position = position
            self.end = end
            self.upcomingLine = upcomingLine
        }
        cells.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        quotedRow = false
        line = upcomingLine
        let chunk = self.chunk
        var inQuotes = false
        var cellStart = 0
        var sawByte = false
        while true {
            if position == end, !(try refill(&position, &end)) {
                if inQuotes {
                    throw LogReadError(file: path, line: line, problem: .csvMalformed("a quoted cell starting on this line is never closed"))
                }
                guard sawByte else { return false }
                cells.append(0)
                starts.append(cells.count)
                upcomingLine += 1
                return true
            }
            let byte = chunk[position]
            position += 1
            sawByte = true
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if try available(&position, &end), chunk[position] == UInt8(ascii: "\"") {
                        position += 1
                        cells.append(byte)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") {
                        upcomingLine += 1
                    } else if byte == UInt8(ascii: "\r") {
                        upcomingLine += 1
                        if try available(&position, &end), chunk[position] == UInt8(ascii: "\n") {
                            position += 1
                            cells.append(byte)
                            cells.append(UInt8(ascii: "\n"))
                            continue
                        }
                    }
                    cells.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                cells.append(0)
                starts.append(cells.count)
                cellStart = cells.count
            case UInt8(ascii: "\""):
                if cells.count == cellStart {
                    inQuotes = true
                    quotedRow = true
                } else {
                    cells.append(byte)
                }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if byte == UInt8(ascii: "\r"), try available(&position, &end), chunk[position] == UInt8(ascii: "\n") {
                    position += 1
                }
                cells.append(0)
                starts.append(cells.count)
                upcomingLine += 1
                return true
            default:
                cells.append(byte)
            }
        }
    }

    /// Whether a byte is at `position`, reading the next chunk when the current one is used up.
    @inline(__always)
    private func available(_ position: inout Int, _ end: inout Int) throws(LogReadError) -> Bool {
        if position < end { return true }
        return try refill(&position, &end)
    }

    /// Reads the next chunk of the file into `chunk`; false at the end of the file. A byte-order mark at the
    /// start of the file is skipped.
    private func refill(_ position: inout Int, _ end: inout Int) throws(LogReadError) -> Bool {
        guard !exhausted else { return false }
        position = 0
        end = try source.read(into: chunk, count: capacity)
        if end == 0 { exhausted = true; return false }
        if !started {
            started = true
            if end >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { position = 3 }
            if position == end { return try refill(&position, &end) }
        }
        return true
    }

    /// The bytes of cell `index` of the current row (without quotes; `""` already one `"`).
    public func withCell<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        precondition(index >= 0 && index < count, "cell index out of range")
        return try cells.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[starts[index] ..< starts[index + 1] - 1]))
        }
    }

    /// Cell `index` as a string, or nil when its bytes are not valid UTF-8.
    public func string(_ index: Int) -> String? {
        withCell(index) { String(validating: $0, as: UTF8.self) }
    }

    /// Cell `index` as a number (spaces and tabs around it allowed), or nil when it is not one. Accepts what
    /// C's `strtod` accepts in the C locale, including `inf` and `nan`: the caller decides about finiteness.
    ///
    /// Plain decimals of at most 15 significant digits without an exponent (`0.123456`, `-12.5`, `3`) are
    /// converted directly: the digits as an integer (exact below 2⁵³) divided by a power of ten up to 10²²
    /// (exact), one correctly rounded division — the same double `strtod` gives (Clinger 1990, "How to read
    /// floating point numbers accurately", the fast path). Anything else goes to `strtod`.
    public func double(_ index: Int) -> Double? {
        precondition(index >= 0 && index < count, "cell index out of range")
        return cells.withUnsafeBufferPointer { all -> Double? in
            guard let base = all.baseAddress else { return nil }
            var first = starts[index], last = starts[index + 1] - 1
            while first < last, all[first] == 0x20 || all[first] == 0x09 { first += 1 }
            while last > first, all[last - 1] == 0x20 || all[last - 1] == 0x09 { last -= 1 }
            guard first < last else { return nil }
            if let fast = Self.plainDecimal(all, first, last) { return fast }
            return base.withMemoryRebound(to: CChar.self, capacity: all.count) { chars -> Double? in
                var stop: UnsafeMutablePointer<CChar>?
                let value = strtod(chars + first, &stop)
                guard let stop, UnsafePointer(stop) - chars == last else { return nil }
                return value
            }
        }
    }

    private static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { v, _ in v * 10 } }

    /// `[sign] digits [. digits]` with 1 to 15 digits in all, exactly; nil for anything else.
    @inline(__always)
    private static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ first: Int, _ last: Int) -> Double? {
        var i = first
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { negative = bytes[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0, digits = 0, fraction = 0, seenPoint = false
        while i < last {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                // More than 15 digits go to strtod; stopping here also keeps the mantissa from overflowing.
                guard digits < 15 else { return nil }
                mantissa = mantissa * 10 + UInt64(b - 0x30)
                digits += 1
                if seenPoint { fraction += 1 }
            } else if b == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits >= 1, digits <= 15 else { return nil }
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
    }

    /// Cell `index` read as a yes/no flag: `1`, `true`, `yes` or `0`, `false`, `no` (ASCII case ignored, spaces
    /// and tabs around it allowed); nil for anything else.
    public func flag(_ index: Int) -> Bool? {
        withCell(index) { bytes -> Bool? in
            var first = 0, last = bytes.count
            while first < last, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
            while last > first, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
            if last - first == 1 {
                if bytes[first] == UInt8(ascii: "1") { return true }
                if bytes[first] == UInt8(ascii: "0") { return false }
                return nil
            }
            var word: [UInt8] = []
            for k in first..<last { word.append(Self.lowercase(bytes[k])) }
            switch word {
            case Array("true".utf8), Array("yes".utf8): return true
            case Array("false".utf8), Array("no".utf8): return false
            default: return nil
            }
        }
    }

    /// Whether cell `index`, without spaces and tabs around it, is exactly `text` (`caseInsensitive`: ASCII letters
    /// compared without case).
    public func cell(_ index: Int, equals text: String, caseInsensitive: Bool = false) -> Bool {
        withCell(index) { bytes in
            var first = 0, last = bytes.count
            while first < last, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
            while last > first, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
            var i = first
            for expected in text.utf8 {
                guard i < last else { return false }
                let got = bytes[i]
                if caseInsensitive {
                    guard Self.lowercase(got) == Self.lowercase(expected) else { return false }
                } else {
                    guard got == expected else { return false }
                }
                i += 1
            }
            return i == last
        }
    }

    @inline(__always)
    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Every cell of the current row as a string, or nil when one is not valid UTF-8.
    public func strings() -> [String]? {
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0 ..< count {
            guard let s = string(i) else { return nil }
            out.append(s)
        }
        return out
    }
}
