/// A share with its Wilson interval; nil estimate when there is no denominator. Shares are published only
/// through a document, where the disclosure policy decides what is shown.
public struct Share: Sendable, Equatable, Codable {
    /// Numerator.
    public let count: Int?
    /// Denominator.
    public let total: Int?
    /// count / total (nil when total is 0).
    public let estimate: Double?
    /// Wilson 95 % interval (nil when total is 0).
    public let interval: ConfidenceInterval?

    /// The share `count / total` with its Wilson interval.
    public init(_ count: Int, of total: Int) {
        self.count = count
        self.total = total
        let p = Proportion.wilson(count, of: total)
        estimate = p?.estimate
        interval = p?.interval
    }
}
