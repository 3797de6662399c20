/// How an alert threshold is printed so that the printed value decides like the exact one.
///
/// A threshold t flags every score s ≥ t. Any value v with b < v ≤ t, where b is the largest observed score
/// below t, flags exactly the same cases. `ThresholdText.printed` returns the decimal text with the fewest
/// places (at least `minimumPlaces`, at most 12) whose value, read back with `Double(String)` — as
/// `--threshold` reads it — lies in (b, t]. Rounding is half away from zero, as `Formatter.fixed` prints, so
/// a table cell of the exact value with `.decimal(places)` shows the same text. When no such text has 12 places
/// or fewer (two observed scores closer than 10⁻¹²), the text is the exact value's shortest round-trip form
/// and `places` is nil. With no observed score below t, every text ≤ t flags the same cases and the shortest
/// one that does not exceed t is used.
public struct ThresholdText: Sendable, Equatable, Codable {
    /// The text to print and to pass back to `--threshold` (ASCII `-`, no thousands separators).
    public let text: String
    /// Decimal places of `text`, or nil when it is the exact value's round-trip form.
    public let places: Int?

    /// The printed form of `threshold` given the largest observed score below it (`below`, nil if none).
    ///
    /// - Parameters:
    ///   - threshold: the exact candidate threshold (finite).
    ///   - below: the largest observed score strictly below `threshold`, or nil.
    ///   - minimumPlaces: places to show at least (2 on a probability scale keeps `0.05` from printing as `0`).
    public static func printed(_ threshold: Double, above below: Double?, minimumPlaces: Int = 0) -> ThresholdText {
        guard threshold.isFinite else { return ThresholdText(text: "\(threshold)", places: nil) }
        for places in max(0, min(minimumPlaces, 12))...12 {
            let text = fixed(threshold, places)
            guard let value = Double(text), value <= threshold else { continue }
            if let below, !(value > below) { continue }
            return ThresholdText(text: text, places: places)
        }
        return ThresholdText(text: "\(threshold)", places: nil)
    }

    /// The printed form of `threshold` against observed scores sorted ascending (any number of ties).
    public static func printed(_ threshold: Double, ascending scores: [Double], minimumPlaces: Int = 0) -> ThresholdText {
        // The last score strictly below the threshold.
        var lo = 0, hi = scores.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scores[mid] < threshold { lo = mid + 1 } else { hi = mid }
        }
        return printed(threshold, above: lo > 0 ? scores[lo - 1] : nil, minimumPlaces: minimumPlaces)
    }

    /// `x` with `places` decimals, half away from zero (the rounding of `Formatter.fixed`).
    static func fixed(_ x: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.2e18 else { return "\(x)" }
        let n = UInt64(scaled), factor = UInt64(scale)
        var text = String(n / factor)
        if places > 0 {
            let digits = String(n % factor)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return (x < 0 && n != 0 ? "-" : "") + text
    }
}
