import PeerLensStats

/// A result that a command also publishes as one JSON object at the top level of its document (for example
/// `combined` in `peerlens outcomes --format json`), so that programs can read it without parsing tables. The
/// same figures appear in the document's sections; the record goes through the disclosure policy like them
/// (`DisclosurePolicy.apply(to:)`), and only the JSON renderer writes it.
public struct FigureRecord: Sendable, Codable, Equatable {
    /// The top-level JSON key (snake_case), e.g. `combined`.
    public var key: String
    /// The fields, in order (JSON output sorts them by name).
    public var fields: [FigureField]

    /// Creates a record.
    public init(key: String, fields: [FigureField]) {
        self.key = key
        self.fields = fields
    }
}

/// One named field of a `FigureRecord`.
public struct FigureField: Sendable, Codable, Equatable {
    /// The JSON key (snake_case).
    public var name: String
    /// The value.
    public var value: FigureValue

    /// Creates a field.
    public init(_ name: String, _ value: FigureValue) {
        self.name = name
        self.value = value
    }
}

/// A value of a `FigureRecord` field.
public enum FigureValue: Sendable, Codable, Equatable {
    /// A label or definition name (not disclosive).
    case text(String)
    /// A setting such as a number of days (not about people; never suppressed).
    case setting(Double)
    /// A count of people: `null` in JSON when the policy withholds it (1 to k − 1).
    case count(Int?)
    /// A count of people that is part of the count `of` (another field of the record, published): `null` when it
    /// or its complement within that count is 1 to k − 1, since the complement is then known by subtraction.
    case part(Int?, of: String)
    /// A share of people with its interval.
    case share(ShareFigure)

    /// Encodes the bare value: a string, a number, an integer (or null), or the share object.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .text(t): try c.encode(t)
        case let .setting(v): try c.encode(v)
        case let .count(n), let .part(n, _): if let n { try c.encode(n) } else { try c.encodeNil() }
        case let .share(s): try c.encode(s)
        }
    }

    /// Decodes what `encode(to:)` wrote (an object is a share, an integer or null a count, another number a
    /// setting). A part decodes as a plain count: which count it is part of is not in the JSON.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .count(nil) } else if let s = try? c.decode(ShareFigure.self) { self = .share(s) } else if let n = try? c.decode(Int.self) {
            self = .count(n)
        } else if let v = try? c.decode(Double.self) { self = .setting(v) } else { self = .text(try c.decode(String.self)) }
    }
}

/// A share of people in a `FigureRecord`: `count` of `total`, the estimate and its interval, and whether
/// disclosure control withheld it (then every other key is null).
public struct ShareFigure: Sendable, Codable, Equatable {
    /// Numerator (null when suppressed).
    public var count: Int?
    /// Denominator (null when suppressed).
    public var total: Int?
    /// count / total (null when suppressed or total is 0).
    public var estimate: Double?
    /// The interval (null when suppressed or total is 0).
    public var interval: ConfidenceInterval?
    /// Whether the policy withheld the share: it rests on fewer than k people, or reveals a numerator or
    /// complement of 1 to k − 1.
    public var suppressed: Bool

    /// Creates a share figure (not suppressed).
    public init(count: Int, total: Int, estimate: Double?, interval: ConfidenceInterval?) {
        self.count = count
        self.total = total
        self.estimate = estimate
        self.interval = interval
        suppressed = false
    }

    /// The withheld share.
    public static let withheld = ShareFigure(suppressedFigure: ())

    private init(suppressedFigure: Void) {
        count = nil; total = nil; estimate = nil; interval = nil; suppressed = true
    }

    enum CodingKeys: String, CodingKey { case count, total, estimate, interval, suppressed }

    /// Encodes every key, null ones included, so the shape is the same whether or not it was suppressed.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(total, forKey: .total)
        try c.encode(estimate, forKey: .estimate)
        try c.encode(interval, forKey: .interval)
        try c.encode(suppressed, forKey: .suppressed)
    }
}

extension DisclosurePolicy {
    /// A record with the policy applied: counts of 1 to k − 1 become null; a share resting on fewer than k people,
    /// or whose numerator or complement is 1 to k − 1, is withheld; published counts are rounded when the policy
    /// rounds (a share's estimate and interval stay those of the exact counts, as in tables). A part withheld for
    /// its complement withholds every share whose denominator it is (the denominator would give it away).
    public func apply(to record: FigureRecord) -> FigureRecord {
        var r = record
        var counts: [String: Int] = [:]
        for f in record.fields { if case let .count(n?) = f.value { counts[f.name] = n } }
        var withheldParts = Set<Int>()
        for f in record.fields {
            if case let .part(n?, of: whole) = f.value, isSmall(n) || counts[whole].map({ isSmall($0 - n) }) == true { withheldParts.insert(n) }
        }
        r.fields = r.fields.map { field in
            switch field.value {
            case let .count(n?):
                return FigureField(field.name, .count(isSmall(n) ? nil : rounded(n)))
            case let .part(n?, of: whole):
                return FigureField(field.name, .part(withheldParts.contains(n) ? nil : rounded(n), of: whole))
            case let .share(s) where !s.suppressed:
                guard let count = s.count, let total = s.total, !isTooFewForRate(total), !isSmall(count), !isSmall(total - count),
                      !withheldParts.contains(total) else {
                    return FigureField(field.name, .share(.withheld))
                }
                var published = s
                published.count = rounded(count)
                published.total = rounded(total)
                return FigureField(field.name, .share(published))
            default:
                return field
            }
        }
        return r
    }
}
