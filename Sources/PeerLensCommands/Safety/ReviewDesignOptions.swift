import ArgumentParser
import PeerLensSafety

extension ReviewRule: ExpressibleByArgument {}

/// How reviews become labels and weights (`risk`, `thresholds`, `report --audience safety`): the rule that
/// combines several reviews of a message, and the weight of reviewed messages without a sampling weight when
/// others have one.
public struct ReviewDesignOptions: ParsableArguments, Sendable {
    @Option(help: "How several reviews of one message become one label: latest (the latest review), majority (a tie counts as positive, the more severe) or most-severe (positive when any review is).")
    public var reviewRule: ReviewRule = .latest

    @Option(help: ArgumentHelp("Weight of reviewed messages without a sampling weight when other reviews carry one (≥ 1: a weight is 1 / inclusion probability; without it such a mix is refused).", valueName: "W"))
    public var unweightedReviewsWeight: Double?

    /// Defaults.
    public init() {}

    /// Checks `--unweighted-reviews-weight`.
    public func validate() throws {
        if let w = unweightedReviewsWeight, !(w.isFinite && w >= 1) {
            throw ValidationError("--unweighted-reviews-weight must be a number ≥ 1: a sampling weight is 1 / the inclusion probability")
        }
    }

    /// The labelling these options choose.
    public var labelling: ReviewLabelling {
        ReviewLabelling(rule: reviewRule, unweightedReviewsWeight: unweightedReviewsWeight)
    }

    /// The options as printed in the provenance.
    public var described: [String: String] { labelling.described }
}
