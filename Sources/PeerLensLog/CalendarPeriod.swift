/// A reporting period: ISO weeks starting on Monday, or calendar months (UTC).
public enum CalendarPeriod: String, Sendable, Codable, CaseIterable {
    case week, month

    /// The label of the period holding `microseconds` since the epoch: a week is named by its Monday
    /// (`2026-02-02`; `2026-W05` style labels are avoided), a month as `2026-02`.
    public func label(_ microseconds: Int64) -> String {
        label(day: Self.day(microseconds))
    }

    /// The label of the period holding `day` (days since 1970-01-01, UTC).
    public func label(day: Int64) -> String {
        switch self {
        case .month:
            let (y, m, _) = Timestamp.civilFromDays(Int(day))
            return "\(y)-\(Self.two(m))"
        case .week:
            let (y, m, d) = Timestamp.civilFromDays(Int(Self.monday(ofDay: day)))
            return "\(y)-\(Self.two(m))-\(Self.two(d))"
        }
    }

    /// Days since the epoch of `microseconds`, rounded down.
    public static func day(_ microseconds: Int64) -> Int64 {
        microseconds >= 0 ? microseconds / 86_400_000_000 : (microseconds + 1) / 86_400_000_000 - 1
    }

    /// The Monday on or before `day` (1970-01-01 was a Thursday).
    public static func monday(ofDay day: Int64) -> Int64 { day - ((day + 3) % 7 + 7) % 7 }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
