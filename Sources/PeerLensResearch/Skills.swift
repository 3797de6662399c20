import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Options of `peerlens skills`.
public struct SkillsOptions: Sendable {
    /// The instrument of the practice–outcome association.
    public var instrument = InstrumentOption.defaultInstrument
    /// The χ² test of completion by training needs at least this many matches in each cell (an evaluability
    /// minimum for the test's approximation, not disclosure control).
    public var minimumTestCell = 5
    /// Confidence level.
    public var level = 0.95
    /// Creates default options.
    public init() {}
    /// Options for `instrument`, with the defaults otherwise.
    public init(instrument: String) { self.instrument = instrument }
}

/// Practice of one framework (CBT, DBT, ACT) or one skill.
public struct SkillPractice: Sendable, Equatable, Codable {
    /// `CBT`, or `DBT: tipp` for a skill.
    public let name: String
    /// Distinct members who practised.
    public let members: Int
    /// Practices logged.
    public let practices: Int
    /// Completed practices among logged ones.
    public let completion: Share
}

/// The least-squares association of practice with mood change, adjusted for the baseline score.
public struct PracticeAssociation: Sendable, Equatable, Codable {
    /// Members in the fit (two or more check-ins).
    public let members: Int
    /// Change (last − first) per completed practice between the first and last check-in, adjusted for the
    /// baseline score: the coefficient of `practices` in change ~ 1 + baseline + practices.
    public let changePerPractice: Double
    /// t interval of the coefficient.
    public let interval: ConfidenceInterval
    /// Two-sided p-value.
    public let pValue: Double
    /// The baseline coefficient (regression to the mean shows here).
    public let baselineCoefficient: Double

    enum CodingKeys: String, CodingKey {
        case members, changePerPractice = "change_per_practice", interval, pValue = "p_value", baselineCoefficient = "baseline_coefficient"
    }
}

/// Outcomes of the people supported by trained vs untrained supporters.
public struct TrainingComparison: Sendable, Equatable, Codable {
    /// `trained` (had completed a course before the match or response) or `untrained`.
    public let supporters: String
    /// Matches (or crisis responses) in the row.
    public let cases: Int
    /// Mean seeker rating (1–5) of ended, rated matches, with its t interval.
    public let meanRating: MeanEstimate?
    /// Matches that ended as completed (matches only).
    public let completed: Share?
    /// Mean change in the seeker's score, for seekers with two check-ins.
    public let seekerMoodChange: MeanEstimate?
    /// Crisis responses with outcome `supported` (crisis responders only).
    public let supported: Share?
    /// Follow-ups completed after those responses (crisis responders only).
    public let followUpCompleted: Share?

    enum CodingKeys: String, CodingKey {
        case supporters, cases, meanRating = "mean_rating", completed, seekerMoodChange = "seeker_mood_change"
        case supported, followUpCompleted = "follow_up_completed"
    }
}

/// Skills practice and supporter training (`peerlens skills`).
public struct SkillsReport: Sendable, Equatable, Codable {
    /// First event.
    public let from: String
    /// Data end.
    public let to: String
    /// Members left out for lack of research consent.
    public let membersExcluded: Int
    /// The consent sentence.
    public let consentNote: String
    /// Practice by framework.
    public let frameworks: [SkillPractice]
    /// Practice by skill, most practised first.
    public let skills: [SkillPractice]
    /// Practice vs mood change.
    public let association: PracticeAssociation?
    /// The instrument of the association.
    public let instrument: String
    /// Supporters (peer, listener, professional) who completed at least one course.
    public let supportersTrained: Share
    /// Completion by course among those who started it.
    public let courses: [SkillPractice]
    /// Matches by whether the peer was trained.
    public let matchesByTraining: [TrainingComparison]
    /// Rating difference trained − untrained (Welch).
    public let ratingDifference: TTestResult?
    /// χ² test of completion by training.
    public let completionTest: ContingencyTestResult?
    /// Crisis responses by whether the responder was trained.
    public let responsesByTraining: [TrainingComparison]
    /// What could not be computed, and why.
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", consentNote = "consent_note"
        case frameworks, skills, association, instrument, supportersTrained = "supporters_trained", courses
        case matchesByTraining = "matches_by_training", ratingDifference = "rating_difference", completionTest = "completion_test"
        case responsesByTraining = "responses_by_training", notes
    }
}

extension SkillsOptions: ResearchOptions {
    /// - Throws: `ResearchError` for options the analysis cannot run with.
    public func validate() throws {
        guard minimumTestCell >= 1 else { throw ResearchError("the minimum cell of the completion test must be at least 1") }
    }
}

extension SkillsReport: ResearchAnalysis {
    public static func analyse(_ source: any EventSource, options: SkillsOptions) throws -> SkillsReport {
        try InstrumentOption.require(source, options.instrument)
        let population = try ResearchPopulation.load(source, for: "skills analyses")
        var notes: [String] = []

        // Practice by framework and by skill (people counted once per row).
        struct Tally {
            var members = Set<Int32>(), practices = 0, completed = 0
            mutating func add(_ member: Int32, completed done: Bool) {
                members.insert(member); practices += 1; if done { completed += 1 }
            }
        }
        var frameworks: [String: Tally] = [:], skills: [String: Tally] = [:]
        var completedTimes: [Int32: [Int64]] = [:]
        try source.forEachRow(of: .skillPractice) { row in
            guard let m = population.index[row.string(0)] else { return }
            let framework = row.string(1), done = row.bool(4)
            // Mutated in place: copying a tally out and back would copy its member set on every row.
            frameworks[framework, default: Tally()].add(m, completed: done)
            skills["\(framework): \(row.string(2))", default: Tally()].add(m, completed: done)
            if done { completedTimes[m, default: []].append(row.int64(3)) }
        }
        if frameworks.isEmpty { notes.append("the store holds no skill practice by consenting members") }
        func table(_ tallies: [String: Tally]) -> [SkillPractice] {
            tallies.keys.sorted { (tallies[$0]!.members.count, $1) > (tallies[$1]!.members.count, $0) }.map { key in
                let t = tallies[key]!
                return SkillPractice(name: key, members: t.members.count, practices: t.practices, completion: Share(t.completed, of: t.practices))
            }
        }

        // Practice vs mood change, adjusted for baseline.
        let series = try CheckinSeries.load(source, instrument: options.instrument, population: population, minimumDays: 0, maximumDays: nil)
        var association: PracticeAssociation? = nil
        let analysed = series.analysed
        // Three coefficients need more than three members to leave a residual variance.
        if analysed.count > 3 {
            let practices = analysed.map { o in Double(completedTimes[o.member]?.filter { $0 >= o.firstTs && $0 <= o.lastTs }.count ?? 0) }
            do {
                let fit = try LinearRegression.fit(predictors: zip(analysed, practices).map { [$0.first, $1] },
                                                   outcomes: analysed.map { $0.last - $0.first }, names: ["baseline", "practices"])
                let i = fit.index(of: "practices")!
                association = PracticeAssociation(members: analysed.count, changePerPractice: fit.coefficients[i],
                                                  interval: fit.confidenceInterval(i, level: options.level), pValue: fit.pValue(i),
                                                  baselineCoefficient: fit.coefficients[fit.index(of: "baseline")!])
            } catch { notes.append("practice–outcome association not computed: \(error)") }
        } else {
            notes.append("too few members with two \(options.instrument) check-ins to estimate the practice–outcome association")
        }

        // Training: first completion time per supporter, and course completion.
        var trainedAt: [Int32: Int64] = [:]
        var courses: [String: Tally] = [:]
        try source.forEachRow(of: .training) { row in
            guard let m = population.index[row.string(0)] else { return }
            let done = row.bool(3)
            courses[row.string(1), default: Tally()].add(m, completed: done)
            if done { trainedAt[m] = min(trainedAt[m] ?? .max, row.int64(2)) }
        }
        let supporters = population.members.indices.filter { [.peer, .listener, .professional].contains(population.members[$0].role) }
        let supportersTrained = Share(supporters.filter { trainedAt[Int32($0)] != nil }.count, of: supporters.count)

        // Matches by whether the peer had completed a course before the match started.
        let change = Dictionary(uniqueKeysWithValues: analysed.map { ($0.member, $0.last - $0.first) })
        struct Case { let rating: Int?; let completed: Bool?; let change: Double? }
        var matchCases: [Bool: [Case]] = [true: [], false: []]
        try source.forEachRow(of: .acceptedMatchEnds) { row in
            guard let seeker = population.index[row.string(0)], let peer = population.index[row.string(1)] else { return }
            let trained = (trainedAt[peer] ?? .max) <= row.int64(2)
            let reason = row.optionalString(4)
            matchCases[trained]!.append(Case(rating: row.isNull(3) ? nil : Int(row.int64(3)),
                                             completed: reason.map { $0 == MatchEndReason.completed.rawValue }, change: change[seeker]))
        }
        var matchRows: [TrainingComparison] = []
        for (label, key) in [("trained", true), ("untrained", false)] {
            let list = matchCases[key]!
            let ratings = list.compactMap(\.rating).map(Double.init), done = list.compactMap(\.completed), changes = list.compactMap(\.change)
            matchRows.append(TrainingComparison(
                supporters: label, cases: list.count,
                meanRating: ratings.count >= 2 ? try? MeanEstimate.t(ratings, level: options.level) : nil,
                completed: Share(done.filter { $0 }.count, of: done.count),
                seekerMoodChange: changes.count >= 2 ? try? MeanEstimate.t(changes, level: options.level) : nil, supported: nil, followUpCompleted: nil))
        }
        var ratingDifference: TTestResult? = nil, completionTest: ContingencyTestResult? = nil
        let trainedRatings = matchCases[true]!.compactMap(\.rating).map(Double.init), untrainedRatings = matchCases[false]!.compactMap(\.rating).map(Double.init)
        if trainedRatings.count >= 2 && untrainedRatings.count >= 2 {
            ratingDifference = try? MeanTests.welch(trainedRatings, untrainedRatings, level: options.level)
        }
        let completionTable = [true, false].map { key -> [Int] in
            let done = matchCases[key]!.compactMap(\.completed)
            return [done.filter { $0 }.count, done.filter { !$0 }.count]
        }
        if completionTable.allSatisfy({ $0.allSatisfy { $0 >= options.minimumTestCell } }) {
            do { completionTest = try ContingencyTests.chiSquared(completionTable) } catch { notes.append("completion by training not tested: \(error)") }
        } else if matchCases.values.contains(where: { !$0.isEmpty }) {
            notes.append("a cell of completion by training has fewer than \(options.minimumTestCell) matches: the χ² test is not computed")
        }

        // Crisis responses by whether the responder had completed a course before responding.
        struct Response { let supported: Bool; let followUp: Bool? }
        var responses: [Bool: [Response]] = [true: [], false: []]
        try source.forEachRow(of: .responseFollowUps) { row in
            guard let responder = population.index[row.string(0)] else { return }
            let trained = (trainedAt[responder] ?? .max) <= row.int64(1)
            responses[trained]!.append(Response(supported: row.string(2) == ResponseOutcome.supported.rawValue,
                                                followUp: row.isNull(3) ? nil : row.bool(3)))
        }
        let responseRows: [TrainingComparison] = [("trained", true), ("untrained", false)].compactMap { label, key in
            let list = responses[key]!
            guard !list.isEmpty else { return nil }
            let followed = list.compactMap(\.followUp)
            return TrainingComparison(supporters: label, cases: list.count, meanRating: nil, completed: nil, seekerMoodChange: nil,
                                      supported: Share(list.filter(\.supported).count, of: list.count),
                                      followUpCompleted: Share(followed.filter { $0 }.count, of: followed.count))
        }
        notes.append("observational associations: members who practise more, or supporters who train, may differ in other ways")
        return SkillsReport(
            from: Timestamp.text(population.dataStart), to: Timestamp.text(population.dataEnd), membersExcluded: population.excluded,
            consentNote: population.consentNote, frameworks: table(frameworks), skills: table(skills),
            association: association, instrument: options.instrument, supportersTrained: supportersTrained, courses: table(courses),
            matchesByTraining: matchRows, ratingDifference: ratingDifference, completionTest: completionTest,
            responsesByTraining: responseRows, notes: notes)
    }
}
