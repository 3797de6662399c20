import PeerLensArrow
import PeerLensLog
import PeerLensSpark
import PeerLensStore

extension SparkEventSource {
    /// Runs `read` in Spark (its aggregated statement where it has one: only folded rows come back) and calls `body`
    /// with each row, in the read's order.
    ///
    /// - Throws: `SparkError`; `ArrowError` when a column is not of the read's type; what `body` throws.
    public func forEachRow(of read: ResearchRead, _ body: (any ReadRow) throws -> Void) throws {
        let statement = read.aggregatedStatement ?? read.statement
        let arguments = read.arguments.mapValues(SparkLiteral.string)
        let rows = try withSession(read.operation, tables: read.tables) { client in
            try DecodedRows(try DecodedResult(try await client.sql(statement, arguments: arguments, label: read.operation)), types: read.columns)
        }
        for index in 0..<rows.count {
            rows.index = index
            try body(rows)
        }
    }

    public func instruments() throws -> [String] { try distinct("instrument", of: "checkin", "listing instruments") }

    public func hasCheckins(instrument: String) throws -> Bool {
        let operation = "looking for \(instrument) check-ins"
        return try withSession(operation, tables: ["checkin"]) { client in
            let found = try DecodedResult(try await client.sql("SELECT count(*) AS n FROM (SELECT 1 FROM checkin WHERE instrument = :instrument LIMIT 1) c",
                                                               arguments: ["instrument": .string(instrument)], label: operation))
            return ((try found.integers("n").first ?? nil) ?? 0) > 0
        }
    }

    public func dataSpan(of types: [EventType]) throws -> (first: Int64, last: Int64)? {
        let operation = "reading the data period"
        guard !types.isEmpty else { return nil }
        let spans = types.map { "SELECT min(ts) AS first, max(ts) AS last FROM \(SparkSQL.identifier($0.rawValue))" }.joined(separator: " UNION ALL ")
        return try withSession(operation, tables: types.map(\.rawValue)) { client in
            let result = try DecodedResult(try await client.sql("SELECT min(first) AS first, max(last) AS last FROM (\(spans)) s", label: operation))
            guard let first = try result.integers("first").first ?? nil, let last = try result.integers("last").first ?? nil else { return nil }
            return (first, last)
        }
    }
}

/// A decoded result read row by row through `ReadRow`, its columns taken by position with the types a read declares.
final class DecodedRows: ReadRow, @unchecked Sendable {
    private enum Column {
        case text([String?])
        case integer([Int64?])
        case real([Double?])
    }

    private let columns: [Column]
    /// Rows in all.
    let count: Int
    /// The current row.
    var index = 0
    /// The UTF-8 bytes of the last string asked for as bytes, valid until the next call.
    private var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64)

    /// The columns of `result` by position, read as `types`.
    ///
    /// - Throws: `ArrowError` when a column is missing or not of its type.
    init(_ result: DecodedResult, types: [MirroredTable.StorageType]) throws {
        count = result.rowCount
        guard count > 0 else { columns = []; return }
        let names = result.columnNames
        guard names.count == types.count else {
            throw ArrowError.malformed(what: "a result of \(names.count) columns where the read has \(types.count)", offset: 0)
        }
        columns = try zip(names, types).map { name, type in
            switch type {
            case .text: .text(try result.strings(name))
            case .integer: .integer(try result.integers(name))
            case .real: .real(try result.doubles(name))
            }
        }
    }

    deinit { scratch.deallocate() }

    func int64(_ column: Int32) -> Int64 {
        switch columns[Int(column)] {
        case .integer(let values): values[index] ?? 0
        case .real(let values): Int64(values[index] ?? 0)
        case .text: 0
        }
    }

    func double(_ column: Int32) -> Double {
        switch columns[Int(column)] {
        case .integer(let values): Double(values[index] ?? 0)
        case .real(let values): values[index] ?? 0
        case .text: 0
        }
    }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    func isNull(_ column: Int32) -> Bool {
        switch columns[Int(column)] {
        case .integer(let values): values[index] == nil
        case .real(let values): values[index] == nil
        case .text(let values): values[index] == nil
        }
    }

    func string(_ column: Int32) -> String { optionalString(column) ?? "" }

    func optionalString(_ column: Int32) -> String? {
        guard case .text(let values) = columns[Int(column)] else { return nil }
        return values[index]
    }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        var text = string(column)
        return text.withUTF8 { utf8 in
            if utf8.count > scratch.count {
                scratch.deallocate()
                scratch = .allocate(capacity: utf8.count)
            }
            _ = UnsafeMutableBufferPointer(rebasing: scratch[..<utf8.count]).initialize(from: utf8)
            return UnsafeBufferPointer(rebasing: scratch[..<utf8.count])
        }
    }
}
