import Foundation
import PeerLensLog
import PeerLensStats

/// A seeded generator of a realistic peer-support community that uses every
/// event type of log format v1, drawn from KNOWN true parameters
/// (`TrueParameters`) so that analyses can be checked against the truth.
///
/// The simulation walks the period day by day. Each event is generated when
/// its cause happens (a reply when its thread opens, an alert's response when
/// the alert fires) and kept in the bucket of the day it falls on; a day's
/// bucket is sorted and written once that day is over. Memory therefore holds
/// the members (compact arrays) and a few days of events, whatever the size.
/// Events after the end of the period are not written (the data are censored
/// at the end, as a real export would be).
///
/// Randomness: one GSL MT19937 stream seeded with `config.seed`, consumed in a
/// fixed order, so the same configuration gives byte-identical output.
public final class Simulator {
    /// What to simulate.
    public let config: SimulationConfig
    /// The true parameters.
    public let truth: TrueParameters

    /// Creates a simulator with the documented true parameters, or others (for tests and what-if studies,
    /// e.g. a higher crisis prevalence); throws if the configuration is out of bounds.
    public init(config: SimulationConfig, truth: TrueParameters = TrueParameters()) throws(SimulationError) {
        if let problem = config.problem { throw SimulationError.invalidConfig(problem) }
        self.config = config
        self.truth = truth
    }

    /// Runs the simulation, writing events in timestamp order to `sink`.
    /// `progress` receives the fraction of days done.
    public func run(into sink: some EventSink, progress: ((Double) -> Void)? = nil) throws(SimulationError) -> SimulationManifest {
        var state = SimulationState(config: config, truth: truth)
        state.createMembers()
        for day in 0..<config.days {
            state.simulate(day: day)
            try sink.write(state.takeDay(day))
            progress?(Double(day + 1) / Double(config.days))
        }
        return state.manifest()
    }
}

/// The record of a simulation: configuration, true parameters, counts, and
/// realised truths that tests and analyses can compare with.
public struct SimulationManifest: Sendable, Codable {
    /// Format of this manifest.
    public var manifestVersion = 1
    /// The configuration.
    public var config: SimulationConfig
    /// The generative model's constants.
    public var parameters: TrueParameters
    /// Events written, by type.
    public var counts: [String: Int]
    /// Total events written.
    public var totalEvents: Int
    /// Realised quantities of the latent truth (not observable in the log).
    public var realised: RealisedTruth

    /// The manifest as deterministic JSON (sorted keys, pretty-printed). Keys are the property names in snake case
    /// (`manifestVersion` → `manifest_version`, `phq9BaselineSD` → `phq9_baseline_sd`); a type whose keys do not
    /// follow from its names that way (`last_3_days`, `deployed_from_day`) spells them in its `CodingKeys`.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }
}

/// Realised values of latent quantities in one simulated log.
public struct RealisedTruth: Sendable, Codable, Equatable {
    /// Share of written messages whose true crisis label is positive.
    public var crisisPrevalence: Double
    /// Share of written messages whose true toxicity label is positive.
    public var toxicityPrevalence: Double
    /// Help-seeking threads opened at least 3 days before the end: how many, and the share drawn as never answered.
    public var threadsOpenedBeforeLast3Days: Int
    /// Share of those threads drawn as never answered.
    public var unansweredShareBeforeLast3Days: Double
    /// Members in the research population (research_consent true) and out of it.
    public var membersWithConsent: Int
    /// Members with research_consent false.
    public var membersWithoutConsent: Int
    /// Accepted matches and the share whose true outcome is a success.
    public var acceptedMatches: Int
    /// Share of accepted matches whose true outcome is a success.
    public var matchSuccessShare: Double
    /// Mean of the members' drawn PHQ-9 and GAD-7 improvements (full effect reached at 8 weeks).
    public var meanPHQ9Improvement: Double
    /// Mean drawn GAD-7 improvement.
    public var meanGAD7Improvement: Double
    /// Approximate expected share with a reliable PHQ-9 improvement (drop ≥ 6 points) at 8 weeks, from the
    /// normal model before rounding and clipping: 1 − Φ((5.5 − μ) / √(sd² + 2·noise²)).
    public var expectedPHQ9ReliableImprovementAt8Weeks: Double

    enum CodingKeys: String, CodingKey {
        case crisisPrevalence = "crisis_prevalence", toxicityPrevalence = "toxicity_prevalence"
        case threadsOpenedBeforeLast3Days = "threads_opened_before_last_3_days"
        case unansweredShareBeforeLast3Days = "unanswered_share_before_last_3_days"
        case membersWithConsent = "members_with_consent", membersWithoutConsent = "members_without_consent"
        case acceptedMatches = "accepted_matches", matchSuccessShare = "match_success_share"
        case meanPHQ9Improvement = "mean_phq9_improvement", meanGAD7Improvement = "mean_gad7_improvement"
        case expectedPHQ9ReliableImprovementAt8Weeks = "expected_phq9_reliable_improvement_at_8_weeks"
    }
}
