import GRDB
import PeerLensArrow
import PeerLensStore

/// Rows of one table gathered column by column for an upload to Spark, then encoded as one Arrow IPC stream.
///
/// Values are taken as the store types them (`TEXT` → utf8, `INTEGER` → int64, `REAL` → double), each column
/// nullable; a value of another storage class is converted the way SQLite's column affinity reads it back
/// (an integer in a `REAL` column is a double).
struct ArrowRows {
    /// The columns, in order.
    let columns: [MirroredTable.Column]
    private var values: [Values]
    /// Rows gathered.
    private(set) var count = 0
    /// About how many bytes the rows take: 8 a number, the UTF-8 length of a text.
    private(set) var bytes = 0

    private enum Values {
        case text([String?])
        case integer([Int64?])
        case real([Double?])
    }

    /// An empty set of rows of `columns`.
    init(columns: [MirroredTable.Column]) {
        self.columns = columns
        values = columns.map { column in
            switch column.type {
            case .text: .text([])
            case .integer: .integer([])
            case .real: .real([])
            }
        }
    }

    /// Appends a row whose values are `row`'s, in `columns` order (a statement selecting `columns`).
    mutating func append(_ row: Row) {
        append((0..<values.count).map { index -> DatabaseValue in row[index] })
    }

    /// Appends a row of `values`, in `columns` order (nil is NULL).
    mutating func append(values row: [(any DatabaseValueConvertible)?]) {
        append(row.map { $0?.databaseValue ?? .null })
    }

    private mutating func append(_ row: [DatabaseValue]) {
        precondition(row.count == values.count, "a row of \(row.count) values for \(values.count) columns")
        for index in values.indices {
            let value = row[index]
            switch values[index] {
            case .text(var column):
                let text = String.fromDatabaseValue(value)
                bytes += text?.utf8.count ?? 0
                values[index] = .text([])  // keeps `column` uniquely referenced while it grows
                column.append(text)
                values[index] = .text(column)
            case .integer(var column):
                bytes += 8
                values[index] = .integer([])
                column.append(Int64.fromDatabaseValue(value))
                values[index] = .integer(column)
            case .real(var column):
                bytes += 8
                values[index] = .real([])
                column.append(Double.fromDatabaseValue(value))
                values[index] = .real(column)
            }
        }
        count += 1
    }

    /// The Arrow schema of the rows: one nullable field per column, named as the column.
    var schema: ArrowSchema {
        ArrowSchema(fields: columns.map { ArrowField(name: $0.name, type: SparkWarehouse.arrowType($0.type), nullable: true) })
    }

    /// The rows as an Arrow IPC stream (schema, one record batch, end of stream).
    ///
    /// - Throws: `ArrowError` (only for a bug: the columns always match the schema).
    func arrowStream() throws(ArrowError) -> [UInt8] {
        let arrowColumns: [ArrowColumn] = values.map { column in
            switch column {
            case .text(let v): .string(v)
            case .integer(let v): .int64(v)
            case .real(let v): .float64(v)
            }
        }
        let schema = self.schema
        let batch = try ArrowRecordBatch(schema: schema, rowCount: count, columns: arrowColumns)
        return try ArrowStream.encode(schema: schema, batches: [batch])
    }
}
