import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// What counts as a successful peer match.
public enum MatchSuccess: String, Sendable, Codable, CaseIterable {
    /// The match ended with reason `completed`.
    case completed
    /// The seeker rated it 4 or 5 (matches without a rating are left out).
    case rating
    /// The seeker was still active 30 days after the match started (matches that started less than 30 days
    /// before the data end are left out).
    case retained

    var words: String {
        switch self {
        case .completed: "ended as completed"
        case .rating: "rated 4 or 5"
        case .retained: "seeker still active 30 days later"
        }
    }
}

/// Options of `peerlens matches`.
public struct MatchesOptions: Sendable {
    /// The success outcome of the regression, the AUC and the calibration.
    public var success: MatchSuccess = .completed
    /// Whether the platform means the match score as a probability of success (then its calibration is reported).
    public var scoreIsProbability = false
    /// The instrument of the seeker's mood change by score decile.
    public var instrument = InstrumentOption.defaultInstrument
    /// The success regression, AUC and calibration need at least this many matches with success and as many
    /// without (an evaluability minimum, not disclosure control).
    public var minimumEachOutcome = 10
    /// Confidence level.
    public var level = 0.95
    /// Creates default options.
    public init() {}
    /// Options with these choices and the defaults otherwise.
    public init(success: MatchSuccess, scoreIsProbability: Bool, instrument: String) {
        (self.success, self.scoreIsProbability, self.instrument) = (success, scoreIsProbability, instrument)
    }
}

/// Outcomes of the matches in one match-score decile (or one kind, or cultural match).
public struct MatchOutcomeRow: Sendable, Equatable, Codable {
    /// The row label: `decile 3 (0.512–0.561)`, a match kind, or `culturally matched`.
    public let group: String
    /// Accepted matches in the row.
    public let matches: Int
    /// Acceptance among proposed matches (kinds and cultural rows only).
    public let accepted: Share?
    /// Ended with reason `completed`, among ended matches.
    public let completed: Share
    /// Rated 4 or 5, among rated matches.
    public let ratedWell: Share
    /// Seeker active 30 days after the start, among matches followed that long.
    public let seekerRetained: Share
    /// Mean change in the seeker's score (last − first check-in), among seekers with two check-ins.
    public let seekerMoodChange: MeanEstimate?

    enum CodingKeys: String, CodingKey {
        case group, matches, accepted, completed, ratedWell = "rated_well", seekerRetained = "seeker_retained"
        case seekerMoodChange = "seeker_mood_change"
    }
}

/// One coefficient of the success regression on the score components.
public struct MatchComponentEffect: Sendable, Equatable, Codable {
    /// Component name (`experience`, …) or `intercept`.
    public let component: String
    /// Log-odds per unit of the component (components lie in [0, 1], so per the full range).
    public let coefficient: Double
    /// Wald interval of the coefficient.
    public let interval: ConfidenceInterval
    /// exp(coefficient).
    public let oddsRatio: Double
    /// exp of the interval.
    public let oddsRatioInterval: ConfidenceInterval
    /// Two-sided Wald p-value.
    public let pValue: Double

    enum CodingKeys: String, CodingKey { case component, coefficient, interval, oddsRatio = "odds_ratio", oddsRatioInterval = "odds_ratio_interval", pValue = "p_value" }
}

/// Peer matching (`peerlens matches`).
public struct MatchesReport: Sendable, Equatable, Codable {
    /// First event.
    public let from: String
    /// Data end.
    public let to: String
    /// Matches left out because the seeker or the peer did not consent to research.
    public let matchesExcluded: Int
    /// Members left out for lack of research consent.
    public let membersExcluded: Int
    /// The consent sentence.
    public let consentNote: String
    /// Matches proposed (between consenting members).
    public let proposed: Int
    /// Accepted among proposed.
    public let acceptance: Share
    /// Accepted matches that have ended.
    public let ended: Int
    /// Accepted matches with no end yet (still running, or their end was not logged).
    public let open: Int
    /// Mean sessions per ended match with its t interval.
    public let sessionsPerMatch: MeanEstimate?
    /// Median sessions per ended match.
    public let medianSessions: Double?
    /// Ratings 1–5 among rated ended matches.
    public let ratings: [Int]
    /// Share of ended matches ending for safety reasons.
    public let endedForSafety: Share
    /// Share of ended matches ending in a rematch.
    public let rematched: Share
    /// The success outcome used below.
    public let success: String
    /// Matches with a known success outcome.
    public let successKnown: Int
    /// Success rate overall.
    public let successRate: Share
    /// Outcomes by decile of the match score.
    public let byScoreDecile: [MatchOutcomeRow]
    /// Logistic regression of success on the eight score components.
    public let components: [MatchComponentEffect]
    /// AUC of the match score for success, with DeLong interval.
    public let scoreAUC: AUCResult?
    /// Calibration of the score as a probability (only with `--score-is-probability`).
    public let scoreCalibration: LogisticCalibration?
    /// By match kind.
    public let byKind: [MatchOutcomeRow]
    /// Culturally matched (seeker and peer share a culture) vs not.
    public let byCulturalMatch: [MatchOutcomeRow]
    /// What could not be computed, and why.
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, matchesExcluded = "matches_excluded", membersExcluded = "members_excluded", consentNote = "consent_note"
        case proposed, acceptance, ended, open, sessionsPerMatch = "sessions_per_match"
        case medianSessions = "median_sessions", ratings, endedForSafety = "ended_for_safety", rematched, success
        case successKnown = "success_known", successRate = "success_rate", byScoreDecile = "by_score_decile", components
        case scoreAUC = "score_auc", scoreCalibration = "score_calibration", byKind = "by_kind", byCulturalMatch = "by_cultural_match", notes
    }
}

/// One proposed match between consenting members, with what followed.
struct MatchRecord {
    let kind: String
    let score: Double
    let components: [Double]
    let accepted: Bool
    let sessions: Int?
    let rating: Int?
    let reason: String?
    let retained: Bool?
    let sameCulture: Bool?
    let seekerChange: Double?

    func success(_ s: MatchSuccess) -> Bool? {
        switch s {
        case .completed: reason.map { $0 == MatchEndReason.completed.rawValue }
        case .rating: rating.map { $0 >= 4 }
        case .retained: retained
        }
    }
}

extension MatchesOptions: ResearchOptions {
    /// - Throws: `ResearchError` for options the analysis cannot run with.
    public func validate() throws {
        guard minimumEachOutcome >= 1 else { throw ResearchError("the minimum number of matches with and without success must be at least 1") }
    }
}

extension MatchesReport: ResearchAnalysis {
    public static func analyse(_ source: any EventSource, options: MatchesOptions) throws -> MatchesReport {
        try InstrumentOption.require(source, options.instrument)
        let population = try ResearchPopulation.load(source, for: "match analyses")
        let lastSeen = try MemberActivity.lastSeen(source, population: population)
        let moodChange = try MemberActivity.moodChange(source, instrument: options.instrument, population: population)
        let window = 30 * microsecondsPerDay
        var records: [MatchRecord] = []
        var excluded = 0
        try source.forEachRow(of: .matches) { row in
            guard let seeker = population.index[row.string(0)], let peer = population.index[row.string(1)] else { excluded += 1; return }
            let ts = row.int64(13)
            let accepted = row.bool(12)
            let cultureS = population.attribute(.culture, of: Int(seeker)), cultureP = population.attribute(.culture, of: Int(peer))
            let known = cultureS != ResearchPopulation.notRecorded && cultureP != ResearchPopulation.notRecorded
            records.append(MatchRecord(
                kind: row.string(2), score: row.double(3), components: (4...11).map { row.double(Int32($0)) }, accepted: accepted,
                sessions: row.isNull(14) ? nil : Int(row.int64(14)), rating: row.isNull(15) ? nil : Int(row.int64(15)),
                reason: row.optionalString(16),
                retained: accepted && ts + window <= population.dataEnd ? lastSeen[Int(seeker)] >= ts + window : nil,
                sameCulture: known ? cultureS == cultureP : nil, seekerChange: accepted ? moodChange[seeker] : nil))
        }
        var notes: [String] = []
        if records.isEmpty { notes.append("the store holds no matches between consenting members") }
        let accepted = records.filter(\.accepted)
        let ended = accepted.filter { $0.reason != nil }
        let sessions = ended.compactMap(\.sessions).map(Double.init)
        var ratingCounts = [Int](repeating: 0, count: 5)
        for r in ended.compactMap(\.rating) { ratingCounts[r - 1] += 1 }
        let ratings = ratingCounts

        let known = accepted.compactMap { m in m.success(options.success).map { (m, $0) } }
        let labels = known.map(\.1)
        var components: [MatchComponentEffect] = []
        var auc: AUCResult? = nil
        var calibration: LogisticCalibration? = nil
        let positives = labels.filter { $0 }.count
        let m = options.minimumEachOutcome
        if positives >= m && known.count - positives >= m {
            do {
                let fit = try LogisticRegression.fit(predictors: known.map(\.0.components), outcomes: labels, names: MatchComponents.fieldNames)
                components = fit.names.indices.map { i in
                    let or = fit.oddsRatio(i, level: options.level)
                    return MatchComponentEffect(component: fit.names[i], coefficient: fit.coefficients[i], interval: fit.confidenceInterval(i, level: options.level),
                                                oddsRatio: or.estimate, oddsRatioInterval: or.interval, pValue: fit.pValue(i))
                }
            } catch { notes.append("regression on the score components not computed: \(error)") }
            do { auc = try Discrimination.auc(scores: known.map(\.0.score), labels: labels, level: options.level) } catch {
                notes.append("AUC of the match score not computed: \(error)")
            }
            if options.scoreIsProbability {
                do { calibration = try Calibration.logistic(predictions: known.map(\.0.score), outcomes: labels, level: options.level) } catch {
                    notes.append("calibration of the match score not computed: \(error)")
                }
            }
        } else if !known.isEmpty {
            notes.append("fewer than \(m) matches with, or without, success: the regression, AUC and calibration cannot be estimated")
        }
        if !options.scoreIsProbability { notes.append("the match score is not treated as a probability, so its calibration is not reported (the analysis reports it when the platform declares the score a probability of success)") }

        // Deciles of the score among accepted matches (ties stay together: a decile is a range of scores).
        var deciles: [MatchOutcomeRow] = []
        let sortedScores = accepted.map(\.score).sorted()
        if !sortedScores.isEmpty {
            let cuts = (1..<10).map { Bootstrap.quantile(sortedScores, Double($0) / 10) }
            var members = [[MatchRecord]](repeating: [], count: 10)
            for m in accepted { members[cuts.firstIndex { m.score <= $0 } ?? 9].append(m) }
            let labelled = members.enumerated().filter { !$0.element.isEmpty }.map { i, list in
                ("decile \(i + 1) (\(Self.fixed(list.map(\.score).min()!))–\(Self.fixed(list.map(\.score).max()!)))", list)
            }
            deciles = rows(labelled, level: options.level, withAcceptance: false)
        }
        let kinds = MatchKind.allCases.map { kind in (kind.rawValue, records.filter { $0.kind == kind.rawValue }) }.filter { !$0.1.isEmpty }
        let cultural = [("culturally matched", records.filter { $0.sameCulture == true }),
                        ("not culturally matched", records.filter { $0.sameCulture == false })].filter { !$0.1.isEmpty }
        return MatchesReport(
            from: Timestamp.text(population.dataStart), to: Timestamp.text(population.dataEnd), matchesExcluded: excluded,
            membersExcluded: population.excluded, consentNote: population.consentNote,
            proposed: records.count, acceptance: Share(accepted.count, of: records.count),
            ended: ended.count, open: accepted.count - ended.count,
            sessionsPerMatch: sessions.count >= 2 ? try? MeanEstimate.t(sessions, level: options.level) : nil,
            medianSessions: sessions.isEmpty ? nil : Bootstrap.quantile(sessions.sorted(), 0.5), ratings: ratings,
            endedForSafety: Share(ended.filter { $0.reason == MatchEndReason.safety.rawValue }.count, of: ended.count),
            rematched: Share(ended.filter { $0.reason == MatchEndReason.rematch.rawValue }.count, of: ended.count),
            success: options.success.words, successKnown: known.count, successRate: Share(positives, of: known.count),
            byScoreDecile: deciles, components: components, scoreAUC: auc, scoreCalibration: calibration,
            byKind: rows(kinds, level: options.level, withAcceptance: true),
            byCulturalMatch: rows(cultural, level: options.level, withAcceptance: true), notes: notes)
    }

    /// Outcome rows for labelled groups of matches, with their real counts (disclosure control is the
    /// published document's).
    static func rows(_ groups: [(String, [MatchRecord])], level: Double, withAcceptance: Bool) -> [MatchOutcomeRow] {
        groups.map { label, list in
            let accepted = list.filter(\.accepted)
            func share(_ s: MatchSuccess) -> Share {
                let known = accepted.compactMap { $0.success(s) }
                return Share(known.filter { $0 }.count, of: known.count)
            }
            let changes = accepted.compactMap(\.seekerChange)
            return MatchOutcomeRow(group: label, matches: accepted.count,
                                   accepted: withAcceptance ? Share(accepted.count, of: list.count) : nil,
                                   completed: share(.completed), ratedWell: share(.rating), seekerRetained: share(.retained),
                                   seekerMoodChange: changes.count >= 2 ? try? MeanEstimate.t(changes, level: level) : nil)
        }
    }

    static func fixed(_ x: Double) -> String {
        let scaled = (x * 1000).rounded()
        let text = String(Int(scaled))
        let padded = String(repeating: "0", count: max(0, 4 - text.count)) + text
        return padded.dropLast(3) + "." + padded.suffix(3)
    }
}

/// Per-member facts several research analyses share.
enum MemberActivity {
    /// Each consenting member's last event time (activity, message, check-in, skill; `Int64.min` if none).
    static func lastSeen(_ source: any EventSource, population: ResearchPopulation) throws -> [Int64] {
        var last = [Int64](repeating: .min, count: population.members.count)
        for table in [MemberTimeTable.activity, .message, .checkin, .skill] {
            // The embedded store sends every row (a scan: messages are not ordered by member, and sorting them costs
            // more than the scan); an engine that aggregates sends each member's latest.
            try population.forEachEvent(source, .latestTimes(table)) { m, ts in
                if ts > last[Int(m)] { last[Int(m)] = ts }
            }
        }
        return last
    }

    /// Each consenting member's change (last − first check-in) on `instrument`, for members with two or more.
    static func moodChange(_ source: any EventSource, instrument: String, population: ResearchPopulation) throws -> [Int32: Double] {
        let series = try CheckinSeries.load(source, instrument: instrument, population: population, minimumDays: 0, maximumDays: nil)
        return Dictionary(uniqueKeysWithValues: series.analysed.map { ($0.member, $0.last - $0.first) })
    }
}
