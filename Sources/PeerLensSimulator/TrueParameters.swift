import PeerLensLog

/// The true parameters of the generative model. They are constants (not
/// options) so that every simulated log with the same configuration answers
/// to the same truth; the manifest records them all.
public struct TrueParameters: Sendable, Codable, Equatable {
    /// A risk model's miscalibration: `logit(score) = a + b·logit(p) + N(0, noiseSD)`,
    /// where p is the message's true risk; members of `disparityCulture` get `a + disparityShift`.
    public struct ModelCalibration: Sendable, Codable, Equatable {
        /// True parameter `model` of the generative model (documented above the group it belongs to).
        public var model: String
        /// True parameter `version` of the generative model (documented above the group it belongs to).
        public var version: String
        /// True parameter `a` of the generative model (documented above the group it belongs to).
        public var a: Double
        /// True parameter `b` of the generative model (documented above the group it belongs to).
        public var b: Double
        /// True parameter `noise_sd` of the generative model (documented above the group it belongs to).
        public var noiseSD: Double
        /// First day (0-based) on which this version scores messages.
        public var firstDay: Int
        /// Alert threshold while this version is deployed (nil: shadow mode, never alerts).
        public var threshold: Double?
        /// Days (0-based, half-open) on which this version is the deployed one.
        public var deployedFrom: Int?
        /// True parameter `deployed_until` of the generative model (documented above the group it belongs to).
        public var deployedUntil: Int?
        /// True parameter `disparity_culture` of the generative model (documented above the group it belongs to).
        public var disparityCulture: String?
        /// True parameter `disparity_shift` of the generative model (documented above the group it belongs to).
        public var disparityShift: Double

        enum CodingKeys: String, CodingKey {
            case model, version, a, b, threshold, noiseSD = "noise_sd", firstDay = "first_day"
            case deployedFrom = "deployed_from_day", deployedUntil = "deployed_until_day"
            case disparityCulture = "disparity_culture", disparityShift = "disparity_shift"
        }
    }

    /// True risk of a crisis: `logit(p) = crisisIntercept + member effect N(0, crisisMemberSD) + message effect N(0, crisisMessageSD)`
    /// (+ `crisisConditionShift` for members with depression, bipolar or PTSD).
    public var crisisIntercept = -4.2
    /// True parameter `crisis_member_sd` of the generative model (documented above the group it belongs to).
    public var crisisMemberSD = 1.0
    /// True parameter `crisis_message_sd` of the generative model (documented above the group it belongs to).
    public var crisisMessageSD = 0.8
    /// True parameter `crisis_condition_shift` of the generative model (documented above the group it belongs to).
    public var crisisConditionShift = 0.7
    /// True toxicity: `logit(p) = toxicityIntercept + N(0, toxicityMessageSD)`.
    public var toxicityIntercept = -3.6
    /// True parameter `toxicity_message_sd` of the generative model (documented above the group it belongs to).
    public var toxicityMessageSD = 1.0
    /// Score models.
    public var models: [ModelCalibration] = [
        ModelCalibration(model: "crisis", version: "v1", a: -0.4, b: 0.75, noiseSD: 0.7, firstDay: 0, threshold: 0.35,
                         deployedFrom: 0, deployedUntil: nil, disparityCulture: "east_african", disparityShift: -0.9),
        ModelCalibration(model: "crisis", version: "v2", a: 0.1, b: 1.0, noiseSD: 0.35, firstDay: 0, threshold: 0.3,
                         deployedFrom: nil, deployedUntil: nil, disparityCulture: "east_african", disparityShift: -0.5),
        ModelCalibration(model: "toxicity", version: "v1", a: 0.3, b: 0.9, noiseSD: 0.5, firstDay: 0, threshold: nil,
                         deployedFrom: nil, deployedUntil: nil, disparityCulture: nil, disparityShift: 0),
    ]
    /// Day (0-based) from which crisis v2 replaces v1 as the deployed model (v2 scores in shadow mode before).
    public var crisisV2DeployedFromDay: Int? = nil
    /// Review sampling: a message is reviewed with probability `reviewBase + reviewSlope·s²`, s = its crisis v1 score;
    /// the review's `weight` is 1/probability.
    public var reviewBase = 0.03
    /// True parameter `review_slope` of the generative model (documented above the group it belongs to).
    public var reviewSlope = 0.9
    /// Share of crisis-positive reviews with severity moderate / high / imminent (negatives: none 80 %, low 20 %).
    public var positiveSeverityShares = [0.5, 0.35, 0.15]
    /// Alert response: probability that anyone responds, and the response latency `exp(N(log(medianMinutes), sigma))` minutes.
    public var responseProbability = 0.93
    /// True parameter `response_median_minutes` of the generative model (documented above the group it belongs to).
    public var responseMedianMinutes = 8.0
    /// True parameter `response_sigma` of the generative model (documented above the group it belongs to).
    public var responseSigma = 0.9
    /// True parameter `followup_completed_probability` of the generative model (documented above the group it belongs to).
    public var followupCompletedProbability = 0.7
    /// Messages whose toxicity score exceeds this are hidden automatically.
    public var automaticModerationThreshold = 0.8
    /// Share of truly toxic messages that are reported and moderated by people (when not caught automatically).
    public var humanModerationProbability = 0.5
    /// True parameter `appeal_probability` of the generative model (documented above the group it belongs to).
    public var appealProbability = 0.2
    /// An appeal succeeds (is overturned) with this probability when the message was truly toxic…
    public var appealOverturnIfToxic = 0.15
    /// …and with this probability when it was not (a false positive of moderation).
    public var appealOverturnIfNotToxic = 0.6
    /// Restorative outcomes: after a human `educate`, `warn` or `suspend` action a member re-offends within
    /// `reoffenceWindowDays` with these probabilities (the re-offence is a member-level `hide` at a uniform
    /// time in the window; inside the window no other moderation of that member happens).
    public var reoffenceIfEducated = 0.12
    /// Re-offence probability after a warning.
    public var reoffenceIfWarned = 0.3
    /// Re-offence probability after a suspension.
    public var reoffenceIfSuspended = 0.08
    /// The re-offence window in days.
    public var reoffenceWindowDays = 30

    /// The re-offence probability after `action` (nil for actions without a restorative follow-up).
    public func reoffenceProbability(after action: ModerationAction) -> Double? {
        switch action {
        case .educate: reoffenceIfEducated
        case .warn: reoffenceIfWarned
        case .suspend: reoffenceIfSuspended
        default: nil
        }
    }
    /// Threads: help-seeking threads opened per active seeker-day (Poisson mean), share never answered,
    /// replies per answered thread (1 + Poisson), and the first-reply delay `exp(N(log(median), sigma))` minutes.
    public var threadsPerActiveSeekerDay = 0.6
    /// True parameter `unanswered_share` of the generative model (documented above the group it belongs to).
    public var unansweredShare = 0.12
    /// True parameter `extra_replies_mean` of the generative model (documented above the group it belongs to).
    public var extraRepliesMean = 2.0
    /// True parameter `first_reply_median_minutes` of the generative model (documented above the group it belongs to).
    public var firstReplyMedianMinutes = 25.0
    /// True parameter `first_reply_sigma` of the generative model (documented above the group it belongs to).
    public var firstReplySigma = 1.2
    /// Share of replies written by other seekers (reciprocity) rather than supporters.
    public var seekerReplyShare = 0.3
    /// Message length `exp(N(log(median), sigma))` characters.
    public var charsMedian = 220.0
    /// True parameter `chars_sigma` of the generative model (documented above the group it belongs to).
    public var charsSigma = 0.8
    /// Retention: a member's active lifetime is exponential with this mean (days); on each day of it they are
    /// active with probability `activeProbabilitySeeker` or `activeProbabilitySupporter`.
    public var meanLifetimeDays = 40.0
    /// True parameter `active_probability_seeker` of the generative model (documented above the group it belongs to).
    public var activeProbabilitySeeker = 0.35
    /// True parameter `active_probability_supporter` of the generative model (documented above the group it belongs to).
    public var activeProbabilitySupporter = 0.5
    /// Share of members with research_consent false.
    public var noConsentShare = 0.08
    /// Matching: score = Σ w·c / Σ w with `matchScoreWeights`; true success (completed with rating ≥ 4)
    /// `logit(P) = matchSuccessIntercept + Σ matchSuccessWeights·c`, component order as `MatchComponents.fieldNames`.
    public var matchScoreWeights = [1.0, 1.0, 1.5, 0.5, 1.0, 1.0, 2.0, 1.0]
    /// True parameter `match_success_intercept` of the generative model (documented above the group it belongs to).
    public var matchSuccessIntercept = -3.0
    /// True parameter `match_success_weights` of the generative model (documented above the group it belongs to).
    public var matchSuccessWeights = [0.8, 1.0, 1.5, 0.2, 0.8, 0.6, 1.2, 0.9]
    /// True parameter `match_offer_probability` of the generative model (documented above the group it belongs to).
    public var matchOfferProbability = 0.7
    /// Mood: PHQ-9 and GAD-7 every 14 days while active. Score = baseline − improvement·min(1, weeks/8) + N(0, noise),
    /// rounded and clipped to the range; improvement per member ~ N(mean, sd).
    public var phq9BaselineMean = 15.0
    /// True parameter `phq9_baseline_sd` of the generative model (documented above the group it belongs to).
    public var phq9BaselineSD = 4.5
    /// True parameter `phq9_improvement_mean` of the generative model (documented above the group it belongs to).
    public var phq9ImprovementMean = 4.0
    /// True parameter `phq9_improvement_sd` of the generative model (documented above the group it belongs to).
    public var phq9ImprovementSD = 4.0
    /// True parameter `gad7_baseline_mean` of the generative model (documented above the group it belongs to).
    public var gad7BaselineMean = 12.0
    /// True parameter `gad7_baseline_sd` of the generative model (documented above the group it belongs to).
    public var gad7BaselineSD = 4.0
    /// True parameter `gad7_improvement_mean` of the generative model (documented above the group it belongs to).
    public var gad7ImprovementMean = 3.0
    /// True parameter `gad7_improvement_sd` of the generative model (documented above the group it belongs to).
    public var gad7ImprovementSD = 3.5
    /// True parameter `checkin_noise_sd` of the generative model (documented above the group it belongs to).
    public var checkinNoiseSD = 2.0
    /// PHQ-9 item 9 (thoughts of self-harm, `risk_item`, 0–3) on every PHQ-9 check-in: a cumulative logit on the
    /// member's latent crisis propensity (the member effect `u` of the crisis risk above, condition and role shifts
    /// included), `P(item ≥ j) = expit(riskItemCutpoints[j − 1] + riskItemSlope·u + N(0, riskItemCheckinSD))`,
    /// j = 1, 2, 3, with one check-in-level draw shared by the three cutpoints, then capped at the check-in's total.
    /// Members with a higher crisis propensity endorse the item more often, so the channel is informative about
    /// the same crises the model scores. Drawn from a separate random stream (`split(9)`), so that adding the
    /// item left every other simulated event unchanged.
    public var riskItemCutpoints = [-2.8, -4.0, -5.2]
    /// True parameter `risk_item_slope` of the generative model (documented above the group it belongs to).
    public var riskItemSlope = 1.2
    /// True parameter `risk_item_checkin_sd` of the generative model (documented above the group it belongs to).
    public var riskItemCheckinSD = 0.8
    /// Second reviews: a crisis-reviewed message is reviewed again by another clinician with probability
    /// `secondReviewShare`, 1 hour plus an exponential delay (mean 24 hours) after the first review, with the same
    /// sampling weight; the second review repeats the first one's severity with probability
    /// `secondReviewAgreement`, otherwise it moves one step up or down (equally likely, kept within none …
    /// imminent). The reviewer agreement of `risk` measures this. Drawn from a separate random stream
    /// (`split(10)`), so that adding second reviews left every other simulated event unchanged.
    public var secondReviewShare = 0.15
    /// True parameter `second_review_agreement` of the generative model (documented above the group it belongs to).
    public var secondReviewAgreement = 0.8
    /// Groups: a seeker joins a group with this probability; a share of joiners are regulars, who attend each
    /// weekly session with `regularAttendance`, the others with `occasionalAttendance`.
    public var groupJoinProbability = 0.3
    /// True parameter `regular_share` of the generative model (documented above the group it belongs to).
    public var regularShare = 0.4
    /// True parameter `regular_attendance` of the generative model (documented above the group it belongs to).
    public var regularAttendance = 0.85
    /// True parameter `occasional_attendance` of the generative model (documented above the group it belongs to).
    public var occasionalAttendance = 0.25

    /// The model's constants.
    public init() {}
}
