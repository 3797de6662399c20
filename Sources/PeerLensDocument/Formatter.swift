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

    /// A p-value for a table cell: three decimals (four below 0.01), and `< 0.001` below 0.001 — never
    /// `0.000`, which would claim the value is zero. Non-finite values print as `n/a`.
    public static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        if p < 0.001 { return "< 0.001" }
        return fixed(p, p < 0.01 ? 4 : 3)
    }

    /// A p-value in a sentence: `p = 0.031`, and `p < 0.001` (not `p = < 0.001`) below 0.001.
    public static func pPhrase(_ p: Double) -> String {
        let text = pValue(p)
        return text.hasPrefix("<") ? "p \(text)" : "p = \(text)"
    }

    /// An amount of money for reading: the currency code, a space, thousands separators, and cents only when
    /// the amount has them and is below 1,000 (`USD 250,000`, `USD 2,809`, `USD 12.50`). Larger amounts are
    /// rounded to whole units (half away from zero): their cents are false precision, since every amount the
    /// reports print is a budget or an average over people. Negative amounts keep the reading minus.
    /// With `wholeUnits`, every amount is rounded to whole units (`USD 152` for 151.61): for averages over
    /// people, such as a cost per person reached, whose cents no one paid.
    public static func currency(_ amount: Double, code: String?, wholeUnits: Bool = false) -> String {
        let prefix = code.map { $0.isEmpty ? "" : $0 + " " } ?? ""
        guard amount.isFinite else { return prefix + "n/a" }
        let whole = amount.rounded(.toNearestOrAwayFromZero)
        let showCents = !wholeUnits && abs(amount) < 1000 && abs(amount - whole) >= 0.005
        return prefix + number(amount, showCents ? .decimal(2) : .integer)
    }

    /// A date for reading from an RFC 3339 date or date-time (`2026-01-05` or `2026-03-05T23:59:53Z`):
    /// `5 January 2026` (`CalendarText.day`: the calendar date as written, no time-zone shift). Other text is
    /// returned unchanged.
    public static func date(_ rfc3339: String) -> String { CalendarText.day(rfc3339) }

    /// A period for reading: `5 January to 5 March 2026` (the year once when both ends share it),
    /// `20 December 2025 to 5 March 2026` otherwise; `5 March 2026` when both ends are the same day.
    public static func dateRange(from: String, to: String) -> String {
        guard let a = CalendarText.parts(from), let b = CalendarText.parts(to), let dayA = a.day, let dayB = b.day else {
            return "\(date(from)) to \(date(to))"
        }
        if (a.year, a.month, dayA) == (b.year, b.month, dayB) { return date(from) }
        let start = a.year == b.year ? "\(dayA) \(CalendarText.months[a.month - 1])" : date(from)
        return "\(start) to \(date(to))"
    }

    /// `text` with every calendar date written `YYYY-MM-DD` (and not part of a timestamp or a longer number)
    /// replaced by its reading form: `weeks from 2026-01-05 to 2026-02-23` → `weeks from 5 January 2026 to
    /// 23 February 2026`. For notes that analyses write for the command line.
    public static func humanDates(in text: String) -> String {
        let chars = Array(text)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < chars.count && chars[i].isASCII && chars[i].isNumber }
        func isDate(at i: Int) -> Bool {
            guard i + 10 <= chars.count, chars[i + 4] == "-", chars[i + 7] == "-" else { return false }
            return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { isDigit(i + $0) }
        }
        var out = "", i = 0
        while i < chars.count {
            let before = i > 0 ? chars[i - 1] : " ", after = i + 10 < chars.count ? chars[i + 10] : " "
            if isDate(at: i), !isDigit(i - 1), before != "-", !(after.isASCII && after.isNumber), !"T:-".contains(after) {
                let raw = String(chars[i..<(i + 10)])
                out += date(raw)
                i += 10
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
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
