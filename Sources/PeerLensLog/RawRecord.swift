/// A record as read from a file, before validation: the fields of one JSON
/// object or one CSV row.
public struct RawRecord: Sendable {
    /// A field and its value, in the order they appeared.
    public struct Field: Sendable {
        /// The key as written.
        public var key: String
        /// The key as a known field name; nil for fields log format v1 does not define.
        public var name: FieldName?
        /// The value as read.
        public var value: RawValue
        /// Creates a field, resolving `key` to a known name.
        public init(key: String, value: RawValue) { self.key = key; self.name = FieldName.resolve(key); self.value = value }
        /// Creates a field whose name was already resolved.
        public init(key: String, name: FieldName?, value: RawValue) { self.key = key; self.name = name; self.value = value }
    }

    /// The fields, in file order.
    public var fields: [Field]
    /// `true` when every scalar came as text (CSV), so numbers and booleans are
    /// parsed from strings and `|` separates list items.
    public var isTextual: Bool

    /// Creates a record.
    public init(fields: [Field], isTextual: Bool) {
        self.fields = fields
        self.isTextual = isTextual
    }

    /// The first field called `key`.
    public func value(_ key: String) -> RawValue? {
        for field in fields where field.key == key { return field.value }
        return nil
    }

    /// The first field with the known name `name`.
    @inlinable
    public func value(_ name: FieldName) -> RawValue? {
        // Index access reads only `name` of each field; iterating would copy every field (retains).
        for i in fields.indices where fields[i].name == name { return fields[i].value }
        return nil
    }
}

/// A JSON value (CSV cells are `.string`).
public enum RawValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, isInteger: Bool)
    case string(String)
    /// A `ts` string that the reader already parsed as an RFC 3339 date-time (microseconds since the
    /// epoch), so the hot path skips building a String for it. A string that does not parse stays `.string`.
    case timestamp(Int64)
    indirect case array([RawValue])
    indirect case object([RawRecord.Field])

    /// Equality of all fields.
    public static func == (lhs: RawValue, rhs: RawValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a, ai), .number(b, bi)): a == b && ai == bi
        case let (.string(a), .string(b)): a == b
        case let (.timestamp(a), .timestamp(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// What the value is, for error messages (never the value itself).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string, .timestamp: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
