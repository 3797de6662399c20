import ArgumentParser
import PeerLensDocument
import PeerLensReport
import PeerLensResearch

extension MatchSuccess: ExpressibleByArgument {}

/// `peerlens matches`: acceptance, endings, and whether the match score predicts success.
public struct MatchesCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "matches",
        abstract: "Peer matching: acceptance, sessions, ratings, endings, and whether the match score predicts success.",
        discussion: """
        Success is a completed match (default), a rating of 4 or 5 (--success rating), or the seeker still active \
        30 days after the match started (--success retained). Outcomes are shown by decile of the match score, by \
        match kind and for culturally matched vs unmatched pairs; a logistic regression of success on the eight \
        score components gives odds ratios, and the score's AUC (DeLong interval) says how well it ranks matches. \
        Calibration is reported only when the score is meant as a probability (--score-is-probability). Matches \
        involving a member without research consent are excluded.
        """
    )

    @Option(help: "What counts as success: completed, rating or retained.")
    var success: MatchSuccess = .completed

    @Flag(help: "The platform means the match score as a probability of success: report its calibration.")
    var scoreIsProbability = false

    @Option(help: "The instrument of the seeker's mood change.")
    var instrument = "PHQ-9"

    /// Defaults.
    public init() {}

    public func publish(_ context: CommandContext) throws -> Publication {
        let options = MatchesOptions(success: success, scoreIsProbability: scoreIsProbability, instrument: instrument)
        let r = try MatchesReport.analyse(store: try context.source(), options: options)
        var described = ["success": success.rawValue, "instrument": instrument]
        if scoreIsProbability { described["score_is_probability"] = "true" }
        return Publication(title: "Peer matching", subtitle: "\(r.from.prefix(10)) to \(r.to.prefix(10))",
                           sections: try MatchesContribution.sections(r), options: described)
    }
}
