/// An instant in UTC with microsecond resolution, as written in the `ts`
/// field of every event (RFC 3339).
///
/// Stored as microseconds since 1970-01-01T00:00:00Z so that it sorts and
/// subtracts cheaply in SQLite. Parsing accepts `Z` or a numeric offset and
/// converts to UTC; up to 6 fractional digits are kept exactly, more are refused
/// (they would be silently lost). An instant outside the years 0000–9999 in UTC
/// (reachable through an offset) is refused.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Microseconds since the Unix epoch, UTC.
    public var microseconds: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Creates a timestamp from whole seconds since the Unix epoch.
    public init(seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    /// Seconds since the epoch as a `Double` (for durations).
    public var seconds: Double { Double(microseconds) / 1_000_000 }

    /// Orders by raw value, for stable sorted output.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Parses an RFC 3339 date-time (`2026-03-01T12:00:00Z`, `2026-03-01T12:00:00.250+01:00`).
    /// Returns nil if the text is not a valid RFC 3339 date-time.
    public init?(rfc3339 text: some StringProtocol) {
        var copy = String(text)
        guard let value = copy.withUTF8({ Timestamp.parse($0) }) else { return nil }
        self.microseconds = value
    }

    /// Parses RFC 3339 UTF-8 bytes into microseconds since the epoch.
    static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard utf8.count >= 20 else { return nil }
        // RFC 3339 allows a lower-case t/z and a space separator is common; accept t, T and space.
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= utf8.count else { return nil }
            var value = 0
            for i in start..<(start + count) {
                let c = utf8[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = digits(0, 4), utf8[4] == 45, let month = digits(5, 2), utf8[7] == 45,
              let day = digits(8, 2), utf8[10] == 84 || utf8[10] == 116 || utf8[10] == 32,
              let hour = digits(11, 2), utf8[13] == 58, let minute = digits(14, 2), utf8[16] == 58,
              let second = digits(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        var index = 19
        var micros = 0
        if utf8[index] == 46 { // '.'
            index += 1
            var count = 0
            while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                guard count < 6 else { return nil }
                micros = micros * 10 + Int(utf8[index] - 48)
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<6 { micros *= 10 }
        }
        guard index < utf8.count else { return nil }
        var offsetSeconds = 0
        switch utf8[index] {
        case 90, 122: // Z z
            index += 1
        case 43, 45: // + -
            let sign = utf8[index] == 43 ? 1 : -1
            guard let oh = digits(index + 1, 2), index + 3 < utf8.count, utf8[index + 3] == 58,
                  let om = digits(index + 4, 2), oh <= 23, om <= 59 else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
            index += 6
        default:
            return nil
        }
        guard index == utf8.count else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        // An offset can carry an instant out of the years 0000–9999 in UTC (9999-12-31T23:59:50-15:00), which
        // no four-digit RFC 3339 time in UTC can show: refused (found by the timestamp fuzz target).
        guard secs >= Timestamp.firstSecond, secs < Timestamp.endSecond else { return nil }
        return secs * 1_000_000 + Int64(micros)
    }

    /// Canonical RFC 3339 text in UTC: no fraction when whole seconds,
    /// milliseconds when exact to the millisecond, microseconds otherwise.
    public var rfc3339: String {
        var secs = microseconds / 1_000_000
        var micros = microseconds % 1_000_000
        if micros < 0 { micros += 1_000_000; secs -= 1 }
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = Timestamp.civilFromDays(Int(days))
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(Int(rem / 3600), 2)):\(pad(Int(rem % 3600 / 60), 2)):\(pad(Int(rem % 60), 2))"
        if micros != 0 {
            text += micros % 1000 == 0 ? "." + pad(Int(micros / 1000), 3) : "." + pad(Int(micros), 6)
        }
        return text + "Z"
    }

    /// 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds since the epoch: the instants a timestamp may hold.
    static let firstSecond = Int64(daysFromCivil(year: 0, month: 1, day: 1)) * 86_400
    static let endSecond = Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
