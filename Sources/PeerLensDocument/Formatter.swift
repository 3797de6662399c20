/// Deterministic number formatting: fixed decimals, `.` as the decimal mark, `,` between thousands, `−` for
/// negative numbers — never the locale, never `NaN` or `inf` (non-finite values print as `n/a`).
public enum Formatter {
    /// `x` with exactly `places` decimals (half away from zero), e.g. `fixed(0.12345, 3)` = `0.123`.
    /// Used for SVG coordinates too, so it uses an ASCII `-`.
    public static func fixed(_ x: Double, _ places: Int) -> String {
        guard x.isFinite else { return "n/a" }
        let p = max(0, min(places, 12))
        var scale = 1.0
        for _ in 0..<p { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^63 the value has no meaningful decimals anyway: print the integer part only.
        guard scaled < 9.2e18 else { return (x < 0 ? "-" : "") + String(Int64(min(abs(x), 9.2e18))) }
        let n = UInt64(scaled)
        let factor = UInt64(scale)
        let integer = n / factor, fraction = n % factor
        var text = String(integer)
        if p > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: p - digits.count) + digits
        }
        return (x < 0 && n != 0 ? "-" : "") + text
    }

    /// An integer with thousands separators: `12,345`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// `fixed(x, places)` with thousands separators in the integer part: `10,997.0`.
    package static func groupedFixed(_ x: Double, _ places: Int) -> String {
        let s = fixed(x, places)
        let negative = s.hasPrefix("-")
        let body = negative ? String(s.dropFirst()) : s
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = String(parts[0])
        guard integer.count > 3, integer.allSatisfy(\.isNumber) else { return s }
        var out = ""
        for (i, c) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// `x` in `format` (with `−` for negatives and `,` between thousands, for reading).
    public static func number(_ x: Double, _ format: NumberFormat) -> String {
        guard x.isFinite else { return "n/a" }
        func minus(_ s: String) -> String { s.hasPrefix("-") ? "−" + s.dropFirst() : s }
        func fixed(_ x: Double, _ d: Int) -> String { groupedFixed(x, d) }
        switch format {
        case .integer:
            return grouped(Int(x.rounded(.toNearestOrAwayFromZero)))
        case let .decimal(d):
            return minus(fixed(x, d))
        case let .percent(d):
            return minus(fixed(x * 100, d)) + "%"
        case let .signed(d):
            let s = fixed(x, d)
            return s.hasPrefix("-") ? minus(s) : (s.allSatisfy { $0 == "0" || $0 == "." } ? s : "+" + s)
        case let .percentagePoints(d):
            let s = fixed(x * 100, d)
            return (s.hasPrefix("-") ? minus(s) : (s.allSatisfy { $0 == "0" || $0 == "." } ? s : "+" + s)) + " pp"
        }
    }

    /// An interval in `format`: `[0.381, 0.472]`, or `[38.1, 47.2]` for percentages and percentage points (the
    /// estimate before it carries the unit).
    public static func interval(_ lower: Double, _ upper: Double, _ format: NumberFormat) -> String {
        guard lower.isFinite, upper.isFinite else { return "" }
        switch format {
        case let .percent(d): return "[\(fixed(lower * 100, d).asReadingMinus), \(fixed(upper * 100, d).asReadingMinus)]"
        // The estimate before it carries the unit ("+4.3 pp [−3.8, 12.5]"), as percentages do.
        case let .percentagePoints(d): return "[\(fixed(lower * 100, d).asReadingMinus), \(fixed(upper * 100, d).asReadingMinus)]"
        default:
            var plain = format
            if case let .signed(d) = format { plain = .decimal(d) }
            return "[\(number(lower, plain)), \(number(upper, plain))]"
        }
    }

    /// A cell as text: counts grouped, numbers in their format with the interval after them, `suppressed`
    /// and `–` for empty cells.
    public static func cell(_ cell: Cell) -> String {
        switch cell {
        case let .text(t): return t
        case let .count(n): return grouped(n)
        case let .number(c):
            let value = number(c.value, c.format)
            guard let l = c.lower, let u = c.upper, l.isFinite, u.isFinite else { return value }
            return value + " " + interval(l, u, c.format)
        case .suppressed: return "suppressed"
        case .notEvaluable: return "not evaluable"
        case .empty: return "–"
        }
    }
}

extension String {
    /// An ASCII hyphen-minus at the start replaced by the minus sign.
    var asReadingMinus: String { hasPrefix("-") ? "−" + dropFirst() : self }
}
