/// A share with its Wilson interval; nil estimate when there is no denominator. A suppressed share
/// (small cells) keeps none of its numbers.
public struct Share: Sendable, Equatable, Codable {
    /// Numerator (nil when suppressed).
    public let count: Int?
    /// Denominator (nil when suppressed).
    public let total: Int?
    /// count / total (nil when total is 0 or suppressed).
    public let estimate: Double?
    /// Wilson 95 % interval (nil when total is 0 or suppressed).
    public let interval: ConfidenceInterval?
    /// Whether the numbers were withheld because a cell is below the disclosure threshold.
    public let suppressed: Bool

    /// The share `count / total` with its Wilson interval.
    public init(_ count: Int, of total: Int) {
        self.count = count
        self.total = total
        let p = Proportion.wilson(count, of: total)
        estimate = p?.estimate
        interval = p?.interval
        suppressed = false
    }

    private init(withheld: ()) {
        count = nil; total = nil; estimate = nil; interval = nil; suppressed = true
    }

    /// A suppressed share: no numbers at all.
    public static let withheld = Share(withheld: ())

    /// This share, or a suppressed one when the count or its complement (total − count) is a non-empty
    /// cell below `threshold`, or the total itself is below it (a share of a small cell reveals the cell).
    public func suppressed(below threshold: Int) -> Share {
        guard let count, let total else { return self }
        let small = { (n: Int) in n > 0 && n < threshold }
        return small(count) || small(total - count) || small(total) ? .withheld : self
    }
}
