/// Why a record was refused. The message names the field and the rule, and
/// never repeats a string value from the record (it could be personal data);
/// out-of-range numbers are quoted because they are not identifying.
public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Categories of rejection, used for counts in summaries.
    public enum Category: String, Sendable, CaseIterable, Codable, Comparable {
        case malformed = "malformed_record"
        case unknownType = "unknown_type"
        case missingField = "missing_field"
        case wrongType = "wrong_type"
        case outOfRange = "out_of_range"
        case invalidValue = "invalid_value"
        case invalidTimestamp = "invalid_timestamp"
        case duplicateField = "duplicate_field"
        case freeText = "free_text"
        case personalData = "personal_data"

        /// Orders by raw value, for stable sorted output.
        public static func < (lhs: Category, rhs: Category) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The category.
    public let category: Category
    /// A sentence a person understands, e.g. `score 1.7 is outside [0,1]`.
    public let message: String

    /// Creates a rejection.
    public init(_ category: Category, _ message: String) {
        self.category = category
        self.message = message
    }

    /// A sentence a person understands.
    public var description: String { message }
}

/// A record that passed validation, and the unknown fields that were dropped from it.
public struct DecodedEvent: Sendable {
    /// The validated event.
    public var event: Event
    /// Names of unknown fields that were dropped (not stored).
    public var droppedFields: [String]
}
