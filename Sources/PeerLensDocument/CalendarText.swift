/// Dates for readers: `2026-03-05T23:59:53.349775Z` → "5 March 2026", `2026-03` → "March 2026". Reports print
/// these in prose and table cells; machine formats (provenance, `--generated-at`) keep RFC 3339.
///
/// Only the calendar date is read (the UTC date the timestamp names): no time zone arithmetic, no locale, so
/// the same input always prints the same words. Text that is not a date of these shapes is returned as it is,
/// which is never worse than before.
public enum CalendarText {
    /// English month names, January first.
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    /// "5 March 2026" from an RFC 3339 timestamp or a `YYYY-MM-DD` date (the date part is read; the time of
    /// day is dropped). Anything else is returned unchanged.
    public static func day(_ text: String) -> String {
        guard let (year, month, day) = parts(text), let day else { return text }
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// "March 2026" from `YYYY-MM` (or the month of a longer date). Anything else is returned unchanged.
    public static func month(_ text: String) -> String {
        guard let (year, month, _) = parts(text) else { return text }
        return "\(months[month - 1]) \(year)"
    }

    /// A period label for readers: a month `YYYY-MM` as "March 2026", a week named by its Monday
    /// `YYYY-MM-DD` as "Week of 2 March 2026"; anything else unchanged.
    public static func period(_ text: String) -> String {
        guard let (_, _, day) = parts(text) else { return text }
        return day == nil ? month(text) : "Week of " + self.day(text)
    }

    /// Year, month (1–12) and, when present, day (1–31) of `YYYY-MM` or `YYYY-MM-DD…`; nil otherwise.
    static func parts(_ text: String) -> (year: Int, month: Int, day: Int?)? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var n = 0
            for c in chars[range] {
                guard c >= 48, c <= 57 else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard chars.count >= 7, chars[4] == UInt8(ascii: "-"), let year = number(0..<4), let month = number(5..<7), (1...12).contains(month) else { return nil }
        if chars.count == 7 { return (year, month, nil) }
        guard chars.count >= 10, chars[7] == UInt8(ascii: "-"), let day = number(8..<10), (1...31).contains(day) else { return nil }
        // A date is either the whole text or followed by the time of an RFC 3339 timestamp.
        guard chars.count == 10 || chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " ") else { return nil }
        return (year, month, day)
    }
}
