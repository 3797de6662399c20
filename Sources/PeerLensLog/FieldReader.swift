/// Typed, validating access to a record's fields. JSON values must have the
/// right JSON type; CSV cells (`isTextual`) are parsed from text, with an empty
/// cell meaning "absent" and `|` separating list items.
struct FieldReader {
    let record: RawRecord

    init(record: RawRecord) { self.record = record }

    /// The value of `key`, with JSON `null` and empty CSV cells treated as absent.
    private func present(_ key: FieldName) -> RawValue? {
        guard let value = record.value(key) else { return nil }
        switch value {
        case .null: return nil
        case let .string(s) where record.isTextual && s.isEmpty: return nil
        default: return value
        }
    }

    /// Whether `key` is present (not absent, JSON `null` or an empty CSV cell).
    func has(_ key: FieldName) -> Bool { present(key) != nil }

    private func missing(_ key: FieldName) -> Rejection { Rejection(.missingField, "missing field '\(key.rawValue)'") }

    /// A required field: the value its optional reader gave, or "missing field" when it gave none.
    @inline(__always)
    private func required<T>(_ key: FieldName, _ value: T?) throws(Rejection) -> T {
        guard let value else { throw missing(key) }
        return value
    }

    private func wrongType(_ key: FieldName, _ expected: String, _ got: RawValue) -> Rejection {
        Rejection(.wrongType, "field '\(key.rawValue)' must be \(expected), not \(got.kindName)")
    }

    // MARK: Strings

    func optionalString(_ key: FieldName) throws(Rejection) -> String? {
        guard let value = present(key) else { return nil }
        guard case let .string(s) = value else { throw wrongType(key, "a string", value) }
        return s
    }

    func timestamp() throws(Rejection) -> Timestamp {
        if case let .timestamp(micros)? = present(.ts) { return Timestamp(microseconds: micros) }
        guard let text = try optionalString(.ts) else { throw missing(.ts) }
        guard let ts = Timestamp(rfc3339: text) else {
            throw Rejection(.invalidTimestamp, "field 'ts' is not an RFC 3339 date-time (e.g. 2026-03-01T12:00:00Z)")
        }
        return ts
    }

    /// A string that must pass `isValid`; otherwise refused as "field 'key' is not `rule`".
    @inline(__always)
    private func optionalString(_ key: FieldName, _ isValid: (String) -> Bool, _ rule: String) throws(Rejection) -> String? {
        guard let s = try optionalString(key) else { return nil }
        guard isValid(s) else { throw Rejection(.invalidValue, "field '\(key.rawValue)' is not \(rule)") }
        return s
    }

    func optionalId(_ key: FieldName) throws(Rejection) -> String? {
        try optionalString(key, Anonymity.isPseudonym, "an opaque pseudonym (1–64 characters of A-Za-z0-9_.:-)")
    }

    func id(_ key: FieldName) throws(Rejection) -> String {
        try required(key, optionalId(key))
    }

    func optionalLabel(_ key: FieldName) throws(Rejection) -> String? {
        try optionalString(key, Anonymity.isLabel, "a short label (1–64 letters, digits, spaces or _.:-+()'&, at most 4 words)")
    }

    func label(_ key: FieldName) throws(Rejection) -> String {
        try required(key, optionalLabel(key))
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: FieldName, _: E.Type) throws(Rejection) -> E?
    where E.RawValue == String {
        guard let s = try optionalString(key) else { return nil }
        guard let value = E(rawValue: s) else { throw notOneOf(key, E.self) }
        return value
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: FieldName, _ type: E.Type) throws(Rejection) -> E
    where E.RawValue == String {
        try required(key, optionalEnumeration(key, type))
    }

    private func notOneOf<E: RawRepresentable & CaseIterable>(_ key: FieldName, _: E.Type) -> Rejection where E.RawValue == String {
        Rejection(.invalidValue, "field '\(key.rawValue)' must be one of \(E.allCases.map(\.rawValue).joined(separator: "|"))")
    }

    /// ISO 3166-1 alpha-2, normalised to upper case.
    func region() throws(Rejection) -> String? {
        guard let s = try optionalString(.region) else { return nil }
        let bytes = Array(s.utf8)
        guard bytes.count == 2, bytes.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) else {
            throw Rejection(.invalidValue, "field 'region' must be an ISO 3166-1 alpha-2 code (two letters)")
        }
        return s.uppercased()
    }

    /// A BCP 47 tag of the shape `ll`, `lll`, `ll-Xxxx`, `ll-RR`, `ll-Xxxx-RR`, …
    func language() throws(Rejection) -> String? {
        guard let s = try optionalString(.language) else { return nil }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        let ok = s.utf8.count <= 35 && !parts.isEmpty
            && (2...3).contains(parts[0].count) && parts[0].utf8.allSatisfy(Self.isASCIILetter)
            && parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.utf8.allSatisfy(Self.isASCIIAlphanumeric) }
        guard ok else { throw Rejection(.invalidValue, "field 'language' must be a BCP 47 language tag (e.g. en, pt-BR)") }
        return s
    }

    private static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    private static func isASCIIAlphanumeric(_ b: UInt8) -> Bool { isASCIILetter(b) || (b >= 48 && b <= 57) }

    // MARK: Lists

    private func stringList(_ key: FieldName) throws(Rejection) -> [String] {
        guard let value = present(key) else { return [] }
        switch value {
        case let .array(items):
            var out: [String] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard case let .string(s) = item else {
                    throw Rejection(.wrongType, "field '\(key.rawValue)' must be a list of strings")
                }
                out.append(s)
            }
            return out
        case let .string(s) where record.isTextual:
            return s.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        default:
            throw wrongType(key, "a list", value)
        }
    }

    func enumerationList<E: RawRepresentable & CaseIterable>(_ key: FieldName, _ type: E.Type) throws(Rejection) -> [E]
    where E.RawValue == String, E: Equatable {
        var out: [E] = []
        for s in try stringList(key) {
            guard let value = E(rawValue: s) else {
                throw Rejection(.invalidValue, "field '\(key.rawValue)' must list values from \(E.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            if !out.contains(value) { out.append(value) }
        }
        return out
    }

    func idList(_ key: FieldName) throws(Rejection) -> [String] {
        guard present(key) != nil else { throw missing(key) }
        let items = try stringList(key)
        for s in items where !Anonymity.isPseudonym(s) {
            throw Rejection(.invalidValue, "field '\(key.rawValue)' must list opaque pseudonyms (1–64 characters of A-Za-z0-9_.:-)")
        }
        return items
    }

    // MARK: Numbers and booleans

    private func numeric(_ key: FieldName) throws(Rejection) -> (Double, isInteger: Bool)? {
        guard let value = present(key) else { return nil }
        switch value {
        case let .number(d, isInteger):
            return (d, isInteger)
        case let .string(s) where record.isTextual:
            guard let d = Double(s.trimmingSpaces), d.isFinite else {
                throw Rejection(.wrongType, "field '\(key.rawValue)' must be a number")
            }
            return (d, d == d.rounded(.towardZero) && !s.contains("."))
        default:
            throw wrongType(key, "a number", value)
        }
    }

    func optionalNumber(_ key: FieldName, in range: ClosedRange<Double>) throws(Rejection) -> Double? {
        guard let (d, _) = try numeric(key) else { return nil }
        guard d.isFinite else { throw Rejection(.outOfRange, "field '\(key.rawValue)' must be finite") }
        guard range.contains(d) else {
            throw Rejection(.outOfRange, "\(key.rawValue) \(EventJSON.number(d)) is outside [\(EventJSON.number(range.lowerBound)),\(EventJSON.number(range.upperBound))]")
        }
        return d
    }

    func number(_ key: FieldName, in range: ClosedRange<Double>) throws(Rejection) -> Double {
        try required(key, optionalNumber(key, in: range))
    }

    func optionalInteger(_ key: FieldName, in range: ClosedRange<Int>) throws(Rejection) -> Int? {
        guard let (d, _) = try numeric(key) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else {
            throw Rejection(.wrongType, "field '\(key.rawValue)' must be a whole number")
        }
        let i = Int(d)
        guard range.contains(i) else {
            throw Rejection(.outOfRange, "\(key.rawValue) \(i) is outside [\(range.lowerBound),\(range.upperBound)]")
        }
        return i
    }

    func integer(_ key: FieldName, in range: ClosedRange<Int>) throws(Rejection) -> Int {
        try required(key, optionalInteger(key, in: range))
    }

    func optionalBool(_ key: FieldName) throws(Rejection) -> Bool? {
        guard let value = present(key) else { return nil }
        switch value {
        case let .bool(b): return b
        case let .string(s) where record.isTextual:
            switch s.trimmingSpaces.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw Rejection(.wrongType, "field '\(key.rawValue)' must be true or false")
            }
        default:
            throw wrongType(key, "true or false", value)
        }
    }

    func bool(_ key: FieldName) throws(Rejection) -> Bool {
        try required(key, optionalBool(key))
    }

    // MARK: Match components

    /// `components` as a JSON object, or CSV columns `components.<name>`.
    func components() throws(Rejection) -> MatchComponents {
        var reader = self
        if !record.isTextual {
            guard let value = present(.components) else { throw missing(.components) }
            guard case let .object(fields) = value else { throw wrongType(.components, "an object", value) }
            reader = FieldReader(record: RawRecord(
                fields: fields.map { RawRecord.Field(key: "components." + $0.key, value: $0.value) }, isTextual: false))
        }
        return MatchComponents(values: [
            try reader.number(.componentsExperience, in: 0...1), try reader.number(.componentsCommunication, in: 0...1),
            try reader.number(.componentsSupportStyle, in: 0...1), try reader.number(.componentsDemographic, in: 0...1),
            try reader.number(.componentsRecoveryStage, in: 0...1), try reader.number(.componentsAvailability, in: 0...1),
            try reader.number(.componentsSafety, in: 0...1), try reader.number(.componentsCultural, in: 0...1),
        ])
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
