import PeerLensArrow
import PeerLensSpark

/// A query's result decoded once: its Arrow batches, read column by column across batches.
struct DecodedResult {
    private let streams: [ArrowStream]

    /// Decodes every batch of `result` that holds rows.
    ///
    /// - Throws: `ArrowError` when a batch is not a valid Arrow IPC stream.
    init(_ result: SparkQueryResult) throws {
        streams = try result.batches.filter { $0.rowCount > 0 }.map { try ArrowStream.decode($0.ipcStream) }
    }

    private init(streams: [ArrowStream]) {
        self.streams = streams
    }

    /// Calls `body` with each batch of `result` that holds rows, in order, as a result of its own, decoded only when
    /// its turn comes: a large result (millions of rows) is folded without holding all its columns decoded at once.
    ///
    /// - Throws: `ArrowError` when a batch is not a valid Arrow IPC stream; what `body` throws.
    static func forEachBatch(of result: SparkQueryResult, _ body: (DecodedResult) throws -> Void) throws {
        for batch in result.batches where batch.rowCount > 0 {
            try body(DecodedResult(streams: [try ArrowStream.decode(batch.ipcStream)]))
        }
    }

    /// The names of the columns, in order (none when no batch holds rows).
    var columnNames: [String] { streams.first?.schema.fields.map(\.name) ?? [] }

    /// Rows in all.
    var rowCount: Int { streams.reduce(0) { $0 + $1.rowCount } }

    /// The text column `name` (`STRING`).
    func strings(_ name: String) throws -> [String?] { try streams.flatMap { try $0.string(name) } }

    /// The integer column `name` (any integer type, as `Int64`).
    func integers(_ name: String) throws -> [Int64?] { try streams.flatMap { try $0.integers(name) } }

    /// The `BOOLEAN` column `name`.
    func bools(_ name: String) throws -> [Bool?] { try streams.flatMap { try $0.bool(name) } }

    /// The `DOUBLE` column `name`.
    func doubles(_ name: String) throws -> [Double?] { try streams.flatMap { try $0.double(name) } }
}
