/// One record batch: `rowCount` rows of the schema's columns.
public struct ArrowRecordBatch: Sendable, Equatable, ArrowColumnLookup {
    /// The stream's schema; column i holds `schema.fields[i]`.
    public let schema: ArrowSchema
    /// The number of rows; every column holds this many values.
    public let rowCount: Int
    /// The columns, in schema order.
    public let columns: [ArrowColumn]

    /// A batch of `columns` for `schema`, checked: one column per field, each of its field's type, each
    /// `rowCount` long, no nulls in a non-nullable field, decimal types with a precision in 1...38 and a scale
    /// in -38...38 and values within their precision, and string data
    /// small enough for `utf8`'s 32-bit offsets. Throws `ArrowError.invalidBatch` saying which column.
    public init(schema: ArrowSchema, rowCount: Int, columns: [ArrowColumn]) throws(ArrowError) {
        guard rowCount >= 0 else { throw .invalidBatch("row count \(rowCount)") }
        try schema.checkEncodable()
        guard columns.count == schema.fields.count else {
            throw .invalidBatch("\(columns.count) columns for a schema of \(schema.fields.count) fields")
        }
        for (field, column) in zip(schema.fields, columns) {
            guard column.matches(field.type) else {
                throw .invalidBatch("column '\(field.name)' of type \(field.type) holds \(column.kindName) values")
            }
            guard column.count == rowCount else {
                throw .invalidBatch("column '\(field.name)' has \(column.count) values for \(rowCount) rows")
            }
            if !field.nullable, column.nullCount > 0 {
                throw .invalidBatch("column '\(field.name)' is not nullable but holds nulls")
            }
            switch (field.type, column) {
            case let (.decimal128(precision, _), .decimal128(values)):
                if let row = values.firstIndex(where: { $0?.exceeds(precision: precision) ?? false }) {
                    throw .invalidBatch("column '\(field.name)', row \(row): the decimal has more than \(precision) digits")
                }
            case let (.utf8, .string(values)):
                let total = values.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
                guard total <= Int(Int32.max) else {
                    throw .invalidBatch("column '\(field.name)' holds \(total) bytes of text, more than utf8's 32-bit offsets address (use largeUtf8)")
                }
            default:
                break
            }
        }
        self.schema = schema
        self.rowCount = rowCount
        self.columns = columns
    }

    /// A batch whose consistency the decoder has established.
    init(uncheckedSchema schema: ArrowSchema, rowCount: Int, columns: [ArrowColumn]) {
        self.schema = schema
        self.rowCount = rowCount
        self.columns = columns
    }

    /// The column named `name` (see `ArrowSchema.index(of:)` for the errors).
    public func column(_ name: String) throws(ArrowError) -> ArrowColumn {
        columns[try schema.index(of: name)]
    }
}

/// A stream: its schema and record batches, in order. `decode(_:)` reads one; `encode(schema:batches:)`
/// writes one. Look-ups by column name (`int64("n")` and the like) concatenate the column over all batches.
public struct ArrowStream: Sendable, Equatable, ArrowColumnLookup {
    /// The columns of every batch.
    public let schema: ArrowSchema
    /// The record batches, in stream order (possibly none, possibly empty ones).
    public let batches: [ArrowRecordBatch]

    /// A stream of `batches`; throws `ArrowError.invalidBatch` unless each carries `schema`.
    public init(schema: ArrowSchema, batches: [ArrowRecordBatch]) throws(ArrowError) {
        if let index = batches.firstIndex(where: { $0.schema != schema }) {
            throw .invalidBatch("batch \(index) has another schema than the stream")
        }
        self.init(uncheckedSchema: schema, batches: batches)
    }

    /// A stream whose batches the decoder built with `schema`.
    init(uncheckedSchema schema: ArrowSchema, batches: [ArrowRecordBatch]) {
        self.schema = schema
        self.batches = batches
    }

    /// The total number of rows over all batches.
    public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }

    /// Decodes an Arrow IPC stream — such as one `ExecutePlanResponse.arrow_batch.data` from Spark Connect.
    ///
    /// Reads a Schema message, then RecordBatch messages up to the end-of-stream marker. A stream that stops
    /// without the marker throws `ArrowError.truncated` — a cut between two messages would otherwise lose
    /// whole batches silently. Spark Connect and pyarrow always write the marker; pass
    /// `requireEndOfStream: false` to accept a stream that stops at a message boundary without it (some older
    /// writers omit it). A stream that stops inside a message always throws. Refuses compressed bodies,
    /// dictionary encoding, big-endian data and types outside `ArrowType` with a clear error; any length,
    /// offset or count that disagrees with the input throws `ArrowError` with its byte offset. Linear in
    /// the input size.
    public static func decode(_ bytes: [UInt8], requireEndOfStream: Bool = true) throws(ArrowError) -> ArrowStream {
        var decoder = IPCStreamDecoder(bytes: bytes, requireEndOfStream: requireEndOfStream)
        return try decoder.decode()
    }

    /// The column named `name`, concatenated over all batches (an empty column when there are none).
    public func column(_ name: String) throws(ArrowError) -> ArrowColumn {
        let index = try schema.index(of: name)
        let total = rowCount
        /// The values of every batch's column, gathered into one array (the case is the field's in each batch).
        func gather<T>(_ values: (ArrowColumn) -> [T?]?) -> [T?] {
            var result: [T?] = []
            result.reserveCapacity(total)
            for batch in batches { result.append(contentsOf: values(batch.columns[index]) ?? []) }
            return result
        }
        switch schema.fields[index].type {
        case .null: return .null(count: total)
        case .int8: return .int8(gather { if case let .int8(v) = $0 { v } else { nil } })
        case .int16: return .int16(gather { if case let .int16(v) = $0 { v } else { nil } })
        case .int32: return .int32(gather { if case let .int32(v) = $0 { v } else { nil } })
        case .int64: return .int64(gather { if case let .int64(v) = $0 { v } else { nil } })
        case .float32: return .float32(gather { if case let .float32(v) = $0 { v } else { nil } })
        case .float64: return .float64(gather { if case let .float64(v) = $0 { v } else { nil } })
        case .utf8, .largeUtf8: return .string(gather { if case let .string(v) = $0 { v } else { nil } })
        case .bool: return .bool(gather { if case let .bool(v) = $0 { v } else { nil } })
        case .timestamp: return .timestamp(gather { if case let .timestamp(v) = $0 { v } else { nil } })
        case .date32: return .date32(gather { if case let .date32(v) = $0 { v } else { nil } })
        case .date64: return .date64(gather { if case let .date64(v) = $0 { v } else { nil } })
        case .decimal128: return .decimal128(gather { if case let .decimal128(v) = $0 { v } else { nil } })
        }
    }
}

/// Typed look-ups of columns by name, shared by `ArrowRecordBatch` (one batch) and `ArrowStream` (all
/// batches concatenated). Each throws `columnNotFound` or `ambiguousColumn` for a bad name and
/// `typeMismatch` when the column holds another type; none converts silently between types except where
/// its name says so (`integers`, `timestampMicroseconds`, `decimalStrings`, `decimalDoubles`).
public protocol ArrowColumnLookup {
    /// The schema the names are looked up in.
    var schema: ArrowSchema { get }
    /// The column named `name`.
    func column(_ name: String) throws(ArrowError) -> ArrowColumn
}

extension ArrowColumnLookup {
    private func mismatch(_ name: String, _ requested: String) -> ArrowError {
        let actual = (try? schema.index(of: name)).map { schema.fields[$0].type.description } ?? "?"
        return .typeMismatch(column: name, requested: requested, actual: actual)
    }

    /// An `int8` column.
    public func int8(_ name: String) throws(ArrowError) -> [Int8?] {
        guard case let .int8(values) = try column(name) else { throw mismatch(name, "int8") }
        return values
    }

    /// An `int16` column.
    public func int16(_ name: String) throws(ArrowError) -> [Int16?] {
        guard case let .int16(values) = try column(name) else { throw mismatch(name, "int16") }
        return values
    }

    /// An `int32` column.
    public func int32(_ name: String) throws(ArrowError) -> [Int32?] {
        guard case let .int32(values) = try column(name) else { throw mismatch(name, "int32") }
        return values
    }

    /// An `int64` column (Spark's `bigint`, e.g. `count(*)`).
    public func int64(_ name: String) throws(ArrowError) -> [Int64?] {
        guard case let .int64(values) = try column(name) else { throw mismatch(name, "int64") }
        return values
    }

    /// Any signed integer column (`int8` to `int64`), widened to `Int64` — exact.
    public func integers(_ name: String) throws(ArrowError) -> [Int64?] {
        switch try column(name) {
        case let .int8(values): return values.map { $0.map(Int64.init) }
        case let .int16(values): return values.map { $0.map(Int64.init) }
        case let .int32(values): return values.map { $0.map(Int64.init) }
        case let .int64(values): return values
        default: throw mismatch(name, "a signed integer")
        }
    }

    /// A `float` (single-precision) column.
    public func float(_ name: String) throws(ArrowError) -> [Float?] {
        guard case let .float32(values) = try column(name) else { throw mismatch(name, "float") }
        return values
    }

    /// A `double` column.
    public func double(_ name: String) throws(ArrowError) -> [Double?] {
        guard case let .float64(values) = try column(name) else { throw mismatch(name, "double") }
        return values
    }

    /// A `utf8` or `large_utf8` column.
    public func string(_ name: String) throws(ArrowError) -> [String?] {
        guard case let .string(values) = try column(name) else { throw mismatch(name, "string") }
        return values
    }

    /// A `bool` column.
    public func bool(_ name: String) throws(ArrowError) -> [Bool?] {
        guard case let .bool(values) = try column(name) else { throw mismatch(name, "bool") }
        return values
    }

    /// A `date32` column: days since 1970-01-01.
    public func date32(_ name: String) throws(ArrowError) -> [Int32?] {
        guard case let .date32(values) = try column(name) else { throw mismatch(name, "date32") }
        return values
    }

    /// A `date64` column: milliseconds since 1970-01-01.
    public func date64(_ name: String) throws(ArrowError) -> [Int64?] {
        guard case let .date64(values) = try column(name) else { throw mismatch(name, "date64") }
        return values
    }

    /// A `timestamp` column's raw counts with the field's unit and time zone (nil when naive).
    public func timestamps(_ name: String) throws(ArrowError) -> (values: [Int64?], unit: ArrowTimeUnit, timeZone: String?) {
        let field = schema.fields[try schema.index(of: name)]
        guard case let .timestamp(unit, timeZone) = field.type, case let .timestamp(values) = try column(name) else {
            throw mismatch(name, "timestamp")
        }
        return (values, unit, timeZone)
    }

    /// A `timestamp` column of any unit as microseconds since the Unix epoch (Spark's `TIMESTAMP` is
    /// microseconds already). Seconds and milliseconds are multiplied exactly, and throw `valueOutOfRange`
    /// if that overflows 64 bits; nanoseconds are divided rounding toward minus infinity, so a time before
    /// 1970 falls in the microsecond that contains it.
    public func timestampMicroseconds(_ name: String) throws(ArrowError) -> [Int64?] {
        let (values, unit, _) = try timestamps(name)
        switch unit {
        case .microsecond:
            return values
        case .nanosecond:
            return values.map { value in
                value.map { let (quotient, remainder) = $0.quotientAndRemainder(dividingBy: 1000)
                            return remainder < 0 ? quotient - 1 : quotient }
            }
        case .second, .millisecond:
            let factor: Int64 = unit == .second ? 1_000_000 : 1000
            var result: [Int64?] = []
            result.reserveCapacity(values.count)
            for (row, value) in values.enumerated() {
                guard let value else { result.append(nil); continue }
                let (product, overflow) = value.multipliedReportingOverflow(by: factor)
                guard !overflow else {
                    throw .valueOutOfRange(column: name, row: row, reason: "the timestamp in \(unit) overflows 64-bit microseconds")
                }
                result.append(product)
            }
            return result
        }
    }

    /// A `decimal128` column's unscaled values with the field's precision and scale.
    public func decimal128(_ name: String) throws(ArrowError) -> (values: [ArrowDecimal128?], precision: Int, scale: Int) {
        let field = schema.fields[try schema.index(of: name)]
        guard case let .decimal128(precision, scale) = field.type, case let .decimal128(values) = try column(name) else {
            throw mismatch(name, "decimal128")
        }
        return (values, precision, scale)
    }

    /// A `decimal128` column as exact fixed-point text (`ArrowDecimal128.decimalString(scale:)`).
    public func decimalStrings(_ name: String) throws(ArrowError) -> [String?] {
        let (values, _, scale) = try decimal128(name)
        return values.map { $0?.decimalString(scale: scale) }
    }

    /// A `decimal128` column as the nearest doubles (`ArrowDecimal128.doubleValue(scale:)`).
    public func decimalDoubles(_ name: String) throws(ArrowError) -> [Double?] {
        let (values, _, scale) = try decimal128(name)
        return values.map { $0?.doubleValue(scale: scale) }
    }
}
