/// The unit of an Arrow timestamp: how long one step of its 64-bit count since the Unix epoch is.
public enum ArrowTimeUnit: Int16, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case second = 0
    case millisecond = 1
    case microsecond = 2
    case nanosecond = 3

    /// The short name Arrow's own libraries print (`s`, `ms`, `us`, `ns`).
    public var description: String {
        switch self {
        case .second: return "s"
        case .millisecond: return "ms"
        case .microsecond: return "us"
        case .nanosecond: return "ns"
        }
    }
}

/// The Arrow logical types this library reads and writes. Anything else in a stream is refused with
/// `ArrowError.unsupportedType` naming the column.
public enum ArrowType: Sendable, Hashable, CustomStringConvertible {
    /// All values null; no buffers.
    case null
    /// Signed integers of 8, 16, 32 and 64 bits.
    case int8, int16, int32, int64
    /// IEEE 754 single precision.
    case float32
    /// IEEE 754 double precision.
    case float64
    /// UTF-8 strings with 32-bit offsets.
    case utf8
    /// UTF-8 strings with 64-bit offsets (same values as `utf8`, larger capacity).
    case largeUtf8
    /// Booleans, bit-packed.
    case bool
    /// A 64-bit count of `unit`s since 1970-01-01T00:00:00 UTC. `timeZone` (an Olson name or `+HH:MM`) is
    /// nil for time-zone-naive values; it never changes the stored counts.
    case timestamp(unit: ArrowTimeUnit, timeZone: String?)
    /// Days since 1970-01-01, 32-bit.
    case date32
    /// Milliseconds since 1970-01-01 (whole days), 64-bit.
    case date64
    /// A 128-bit two's-complement integer scaled by 10^-scale, with at most `precision` (1...38) decimal
    /// digits; scales outside -38...38 are refused.
    case decimal128(precision: Int, scale: Int)

    /// The name Arrow's own libraries print, e.g. `int64`, `timestamp[us, tz=UTC]`, `decimal128(38, 18)`.
    public var description: String {
        switch self {
        case .null: return "null"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float32: return "float"
        case .float64: return "double"
        case .utf8: return "string"
        case .largeUtf8: return "large_string"
        case .bool: return "bool"
        case let .timestamp(unit, timeZone):
            return timeZone.map { "timestamp[\(unit), tz=\($0)]" } ?? "timestamp[\(unit)]"
        case .date32: return "date32[day]"
        case .date64: return "date64[ms]"
        case let .decimal128(precision, scale): return "decimal128(\(precision), \(scale))"
        }
    }
}

/// One column of a schema: its name, type and whether it may hold nulls.
public struct ArrowField: Sendable, Hashable {
    /// The column name (may be empty; names need not be unique in Arrow).
    public var name: String
    /// The column's logical type.
    public var type: ArrowType
    /// Whether the column may hold nulls.
    public var nullable: Bool

    /// A field named `name` of `type`, nullable unless said otherwise.
    public init(name: String, type: ArrowType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// The columns of a stream, in order; every record batch of the stream has one column per field.
public struct ArrowSchema: Sendable, Hashable {
    /// The fields in column order.
    public var fields: [ArrowField]

    /// A schema of `fields`, in column order.
    public init(fields: [ArrowField]) {
        self.fields = fields
    }

    /// The position of the one field named `name`; throws `columnNotFound`, or `ambiguousColumn` when several
    /// fields share the name (Spark returns such results for some joins).
    public func index(of name: String) throws(ArrowError) -> Int {
        var found: Int?
        for (index, field) in fields.enumerated() where field.name == name {
            if found != nil { throw .ambiguousColumn(name) }
            found = index
        }
        guard let found else { throw .columnNotFound(name) }
        return found
    }

    /// Throws `ArrowError.invalidBatch` for a field the decoder would refuse: a decimal128 whose precision is
    /// outside 1...38 or whose scale is outside -38...38.
    public func checkEncodable() throws(ArrowError) {
        for field in fields {
            if case let .decimal128(precision, scale) = field.type, !(1...38).contains(precision) || !(-38...38).contains(scale) {
                throw .invalidBatch("column '\(field.name)' has type \(field.type); decimal128 needs a precision in 1...38 and a scale in -38...38")
            }
        }
    }
}
