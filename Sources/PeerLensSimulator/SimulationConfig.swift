import PeerLensLog

/// What to simulate: size, period and seed. Everything else is a documented
/// constant of the generative model, written to the manifest.
public struct SimulationConfig: Sendable, Codable, Equatable {
    /// Seed of the GSL MT19937 stream that drives every random draw.
    public var seed: UInt64
    /// Number of members (joins before and during the period).
    public var members: Int
    /// Length of the period in days.
    public var days: Int
    /// Start of the period (UTC midnight recommended).
    public var start: Timestamp

    /// Creates a configuration.
    public init(seed: UInt64, members: Int, days: Int, start: Timestamp = Timestamp(rfc3339: "2026-01-05T00:00:00Z")!) {
        self.seed = seed
        self.members = members
        self.days = days
        self.start = start
    }

    /// Why the configuration cannot be simulated, or nil.
    public var problem: String? {
        if members < 10 { return "members must be at least 10" }
        if members > 50_000_000 { return "members must be at most 50,000,000" }
        if days < 1 || days > 3660 { return "days must be between 1 and 3660" }
        return nil
    }

    enum CodingKeys: String, CodingKey { case seed, members, days, start }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decode(UInt64.self, forKey: .seed)
        members = try c.decode(Int.self, forKey: .members)
        days = try c.decode(Int.self, forKey: .days)
        let text = try c.decode(String.self, forKey: .start)
        guard let ts = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "not an RFC 3339 date-time")
        }
        start = ts
    }

    /// Encodes the configuration (the start as RFC 3339).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(members, forKey: .members)
        try c.encode(days, forKey: .days)
        try c.encode(start.rfc3339, forKey: .start)
    }
}
