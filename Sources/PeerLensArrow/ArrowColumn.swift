/// The values of one column of one record batch, typed by its Arrow type; `nil` is a null.
///
/// The field's type in the schema says which case a column holds (`ArrowColumn.matches(_:)`): `utf8` and
/// `largeUtf8` both hold `.string`; every `timestamp` unit holds `.timestamp` with the raw counts in that
/// unit (the unit and time zone are in the field type; `ArrowRecordBatch.timestampMicroseconds(_:)` converts).
/// Equality is Swift's `==` on the values: a NaN never equals itself, and canonically equivalent strings
/// (`"é"` and `"e\u{301}"`) are equal; compare `utf8` views or bit patterns where that matters.
public enum ArrowColumn: Sendable, Equatable {
    /// A column of type `null`: `count` nulls.
    case null(count: Int)
    /// `int8` values.
    case int8([Int8?])
    /// `int16` values.
    case int16([Int16?])
    /// `int32` values.
    case int32([Int32?])
    /// `int64` values.
    case int64([Int64?])
    /// `float` (single precision) values.
    case float32([Float?])
    /// `double` values.
    case float64([Double?])
    /// `utf8` or `large_utf8` values.
    case string([String?])
    /// `bool` values.
    case bool([Bool?])
    /// `timestamp` values: counts of the field's unit since the Unix epoch.
    case timestamp([Int64?])
    /// `date32` values: days since 1970-01-01.
    case date32([Int32?])
    /// `date64` values: milliseconds since 1970-01-01.
    case date64([Int64?])
    /// `decimal128` values: unscaled integers (the scale is in the field type).
    case decimal128([ArrowDecimal128?])

    /// An empty column of the case that holds `type`.
    public static func empty(of type: ArrowType) -> ArrowColumn {
        switch type {
        case .null: return .null(count: 0)
        case .int8: return .int8([])
        case .int16: return .int16([])
        case .int32: return .int32([])
        case .int64: return .int64([])
        case .float32: return .float32([])
        case .float64: return .float64([])
        case .utf8, .largeUtf8: return .string([])
        case .bool: return .bool([])
        case .timestamp: return .timestamp([])
        case .date32: return .date32([])
        case .date64: return .date64([])
        case .decimal128: return .decimal128([])
        }
    }

    /// The number of values, nulls included.
    public var count: Int {
        switch self {
        case let .null(count): return count
        case let .int8(v): return v.count
        case let .int16(v): return v.count
        case let .int32(v): return v.count
        case let .int64(v): return v.count
        case let .float32(v): return v.count
        case let .float64(v): return v.count
        case let .string(v): return v.count
        case let .bool(v): return v.count
        case let .timestamp(v): return v.count
        case let .date32(v): return v.count
        case let .date64(v): return v.count
        case let .decimal128(v): return v.count
        }
    }

    /// The number of nulls.
    public var nullCount: Int {
        func nulls<T>(_ values: [T?]) -> Int { values.reduce(0) { $0 + ($1 == nil ? 1 : 0) } }
        switch self {
        case let .null(count): return count
        case let .int8(v): return nulls(v)
        case let .int16(v): return nulls(v)
        case let .int32(v): return nulls(v)
        case let .int64(v): return nulls(v)
        case let .float32(v): return nulls(v)
        case let .float64(v): return nulls(v)
        case let .string(v): return nulls(v)
        case let .bool(v): return nulls(v)
        case let .timestamp(v): return nulls(v)
        case let .date32(v): return nulls(v)
        case let .date64(v): return nulls(v)
        case let .decimal128(v): return nulls(v)
        }
    }

    /// Whether a field of `type` holds this case.
    public func matches(_ type: ArrowType) -> Bool {
        switch (self, type) {
        case (.null, .null), (.int8, .int8), (.int16, .int16), (.int32, .int32), (.int64, .int64),
             (.float32, .float32), (.float64, .float64), (.string, .utf8), (.string, .largeUtf8), (.bool, .bool),
             (.timestamp, .timestamp), (.date32, .date32), (.date64, .date64), (.decimal128, .decimal128):
            return true
        default:
            return false
        }
    }

    /// The case's name (`int64`, `string`, `timestamp`, …), for errors: read off the case itself, so that it
    /// cannot drift from the list of cases.
    public var kindName: String {
        Mirror(reflecting: self).children.first?.label ?? "column"
    }
}

/// A 128-bit two's-complement integer, the unscaled value of an Arrow `decimal128`; the value it stands for
/// is `self × 10^-scale`, with the scale taken from the field type.
public struct ArrowDecimal128: Sendable, Hashable {
    /// The upper 64 bits (carries the sign).
    public var high: Int64
    /// The lower 64 bits.
    public var low: UInt64

    /// The integer `high × 2^64 + low`.
    public init(high: Int64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The integer `value`, sign-extended to 128 bits.
    public init(_ value: Int64) {
        self.high = value < 0 ? -1 : 0
        self.low = UInt64(bitPattern: value)
    }

    /// Whether the integer is below zero.
    public var isNegative: Bool { high < 0 }

    /// The absolute value as unsigned (high, low) halves; exact for every value, the most negative included.
    var magnitude: (high: UInt64, low: UInt64) {
        let high = UInt64(bitPattern: self.high)
        guard isNegative else { return (high, low) }
        // Two's complement negation: invert, add one with carry.
        let (low, carry) = (~low).addingReportingOverflow(1)
        return (~high &+ (carry ? 1 : 0), low)
    }

    /// The decimal digits of the magnitude, most significant first ("0" for zero).
    var magnitudeDigits: String {
        let chunkDivisor: UInt64 = 10_000_000_000_000_000_000  // 10^19, the largest power of ten in a UInt64
        var (high, low) = magnitude
        var chunks: [UInt64] = []
        repeat {
            let (highQuotient, highRemainder) = high.quotientAndRemainder(dividingBy: chunkDivisor)
            let (lowQuotient, remainder) = chunkDivisor.dividingFullWidth((highRemainder, low))
            high = highQuotient
            low = lowQuotient
            chunks.append(remainder)
        } while high != 0 || low != 0
        var digits = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let text = String(chunk)
            digits += String(repeating: "0", count: 19 - text.count) + text
        }
        return digits
    }

    /// The value as fixed-point text with exactly `scale` digits after the point (`-1.50` for 150 at scale
    /// 2); a negative scale appends zeros (`12300` for 123 at scale -2). The same text as Python's
    /// `format(decimal.Decimal(...), "f")`.
    public func decimalString(scale: Int) -> String {
        var digits = magnitudeDigits
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        } else if scale < 0, digits != "0" {
            digits += String(repeating: "0", count: -scale)
        }
        return isNegative ? "-" + digits : digits
    }

    /// The value as the nearest `Double` (correctly rounded from the exact decimal text).
    public func doubleValue(scale: Int) -> Double {
        // The text is always a valid decimal literal, so the parse cannot fail.
        Double(decimalString(scale: scale)) ?? .nan
    }

    /// Whether the magnitude has more than `precision` decimal digits (`precision` in 1...38).
    func exceeds(precision: Int) -> Bool {
        // 10^precision as (high, low); 10^38 < 2^127, so it fits.
        var limit: (high: UInt64, low: UInt64) = (0, 1)
        for _ in 0..<precision {
            let (lowCarry, low) = limit.low.multipliedFullWidth(by: 10)
            limit = (limit.high &* 10 &+ lowCarry, low)
        }
        let value = magnitude
        return value.high > limit.high || (value.high == limit.high && value.low >= limit.low)
    }
}
