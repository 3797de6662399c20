import Foundation
import PeerLensLog
import PeerLensStats

/// Compact per-member state (struct of arrays would be smaller still; this is
/// ~100 bytes a member, fine for millions).
struct SimMember {
    var joinTs: Int64
    var joinDay: Int
    /// First day (0-based, may exceed the period) on which the member is no longer active.
    var endDay: Int
    var role: Role
    var culture: Int
    var conditions: [Condition]
    var consent: Bool
    var crisisEffect: Double
    var phq9Baseline: Double
    var phq9Improvement: Double
    var gad7Baseline: Double
    var gad7Improvement: Double
    /// End of the member's re-offence window after an educate/warn/suspend action (0: none open).
    var probationUntil: Int64 = 0
    var isSupporter: Bool { role != .seeker }
}

/// Vocabularies the simulated community draws from.
enum Population {
    /// (region, language, culture index, resource setting, weight)
    static let places: [(String, String, Int, ResourceSetting, Double)] = [
        ("GB", "en-GB", 0, .high, 0.22), ("US", "en-US", 1, .high, 0.22), ("IN", "hi", 2, .low, 0.14),
        ("KE", "sw", 3, .low, 0.10), ("NG", "en", 4, .conflictAffected, 0.07), ("BR", "pt-BR", 5, .high, 0.08),
        ("MX", "es", 6, .rural, 0.07), ("UA", "uk", 7, .conflictAffected, 0.05), ("PH", "fil", 8, .rural, 0.05),
    ]
    static let cultures = ["british", "north_american", "south_asian", "east_african", "west_african",
                           "brazilian", "mexican", "ukrainian", "filipino"]
    static let genders = ["woman", "man", "non-binary", "not_stated"]
    static let genderWeights = [0.52, 0.38, 0.05, 0.05]
    static let cohorts = ["pilot_a", "pilot_b", "wave_2"]
    static let skills: [(SkillFramework, [String])] = [
        (.cbt, ["thought_record", "behavioural_activation", "cognitive_restructuring"]),
        (.dbt, ["tipp", "opposite_action", "wise_mind", "dear_man"]),
        (.act, ["defusion", "values_clarification", "acceptance"]),
    ]
    static let courses = ["active_listening", "crisis_response", "boundaries"]
}

/// An event waiting for its day to be written, with a tie-breaking sequence number.
struct Pending {
    var ts: Int64
    var seq: Int
    var event: Event
}

struct SimulationState {
    let config: SimulationConfig
    let truth: TrueParameters
    let rng: RandomSource
    /// The stream of PHQ-9 item 9 draws, apart from `rng` so that the item changes no other event.
    let riskItemRNG: RandomSource
    /// The stream of second reviews, apart from `rng` so that they change no other event.
    let secondReviewRNG: RandomSource
    let startMicros: Int64
    let endMicros: Int64
    static let day: Int64 = 86_400_000_000
    static let minute: Int64 = 60_000_000

    var members: [SimMember] = []
    var seekers: [Int] = []
    var supporters: [Int] = []
    var joinsByDay: [[Int]] = []
    var groups: [(id: String, weekday: Int, facilitator: Int, focus: String, regular: [Int], occasional: [Int])] = []
    var buckets: [[Pending]]
    var seq = 0
    var counts: [EventType: Int] = [:]
    var messageCounter = 0, threadCounter = 0, alertCounter = 0, moderationCounter = 0, matchCounter = 0

    // Realised truth.
    var crisisPositives = 0, toxicPositives = 0, messagesWritten = 0
    var threadsEarly = 0, unansweredEarly = 0
    var acceptedMatches = 0, successfulMatches = 0

    init(config: SimulationConfig, truth: TrueParameters) {
        self.config = config
        self.truth = truth
        rng = RandomSource(seed: config.seed)
        riskItemRNG = rng.split(9)
        secondReviewRNG = rng.split(10)
        startMicros = config.start.microseconds
        endMicros = startMicros + Int64(config.days) * Self.day
        buckets = Array(repeating: [], count: config.days)
        joinsByDay = Array(repeating: [], count: config.days)
    }

    // MARK: Ids

    static func id(_ prefix: String, _ n: Int, width: Int) -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func memberID(_ i: Int) -> String { id("m", i, width: 7) }

    // MARK: Emitting

    /// Queues `event` at `ts` if it falls inside the period.
    mutating func emit(_ ts: Int64, _ make: (Timestamp) -> Event) {
        guard ts < endMicros else { return }
        let dayIndex = max(0, Int((ts - startMicros) / Self.day))
        seq += 1
        let event = make(Timestamp(microseconds: ts))
        buckets[dayIndex].append(Pending(ts: ts, seq: seq, event: event))
        counts[event.type, default: 0] += 1
    }

    /// The events of `day`, sorted by time (ties: generation order); frees the bucket.
    mutating func takeDay(_ day: Int) -> [Event] {
        var bucket = buckets[day]
        buckets[day] = []
        bucket.sort { ($0.ts, $0.seq) < ($1.ts, $1.seq) }
        return bucket.map(\.event)
    }

    // MARK: Draws

    func logNormal(median: Double, sigma: Double) -> Double { rng.logNormal(mu: log(median), sigma: sigma) }
    static func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    static func logit(_ p: Double) -> Double { log(p / (1 - p)) }
    static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
    func pick<T>(_ items: [T]) -> T { items[rng.integer(below: items.count)] }

    // MARK: Members

    mutating func createMembers() {
        let n = config.members
        members.reserveCapacity(n)
        let placeWeights = Population.places.map(\.4)
        for i in 0..<n {
            // 40 % were already members when the period starts; the rest join uniformly during it.
            let joinTs: Int64
            if rng.bernoulli(0.4) {
                joinTs = startMicros - Int64(rng.uniform() * 60 * Double(Self.day))
            } else {
                joinTs = startMicros + Int64(rng.uniform() * Double(config.days) * Double(Self.day))
            }
            let joinDay = Int(floor(Double(joinTs - startMicros) / Double(Self.day)))
            let roleDraw = rng.categorical([0.62, 0.24, 0.09, 0.03, 0.02])
            let role: Role = [.seeker, .peer, .listener, .moderator, .professional][roleDraw]
            let place = Population.places[rng.categorical(placeWeights)]
            var conditions: [Condition] = []
            if role == .seeker {
                let first: Condition = [.depression, .anxiety, .bipolar, .eatingDisorder, .ptsd, .ocd, .other][rng.categorical([0.38, 0.3, 0.06, 0.06, 0.08, 0.06, 0.06])]
                conditions.append(first)
                if rng.bernoulli(0.35) {
                    let second: Condition = first == .anxiety ? .depression : .anxiety
                    conditions.append(second)
                }
            } else if rng.bernoulli(0.4) {
                conditions.append(rng.bernoulli(0.5) ? .depression : .anxiety)
            }
            let lifetime = rng.exponential(mean: truth.meanLifetimeDays)
            let lifetimeStartDay = max(joinDay, 0)
            // Members who joined before the period have already used part of their lifetime.
            let endDay = joinDay < 0 ? Int(ceil(Double(joinDay) + lifetime)) : lifetimeStartDay + Int(ceil(lifetime))
            var crisisEffect = rng.normal(mean: 0, sd: truth.crisisMemberSD)
            if conditions.contains(where: { [.depression, .bipolar, .ptsd].contains($0) }) { crisisEffect += truth.crisisConditionShift }
            if role != .seeker { crisisEffect -= 1.5 }
            let member = SimMember(
                joinTs: joinTs, joinDay: joinDay, endDay: endDay, role: role, culture: place.2, conditions: conditions,
                consent: !rng.bernoulli(truth.noConsentShare), crisisEffect: crisisEffect,
                phq9Baseline: rng.normal(mean: truth.phq9BaselineMean, sd: truth.phq9BaselineSD),
                phq9Improvement: rng.normal(mean: truth.phq9ImprovementMean, sd: truth.phq9ImprovementSD),
                gad7Baseline: rng.normal(mean: truth.gad7BaselineMean, sd: truth.gad7BaselineSD),
                gad7Improvement: rng.normal(mean: truth.gad7ImprovementMean, sd: truth.gad7ImprovementSD))
            members.append(member)
            if role == .seeker { seekers.append(i) } else if role != .moderator { supporters.append(i) }
            joinsByDay[max(0, joinDay)].append(i)
            let ageBand = AgeBand.allCases[rng.categorical([0.04, 0.3, 0.28, 0.17, 0.11, 0.07, 0.03])]
            let gender = Population.genders[rng.categorical(Population.genderWeights)]
            let cohort = Population.cohorts[rng.integer(below: 3)]
            let hasRegion = rng.bernoulli(0.95)
            emit(joinTs) { ts in
                .member(MemberEvent(ts: ts, member: Self.memberID(i), role: role, region: hasRegion ? place.0 : nil, language: place.1,
                                    ageBand: ageBand, gender: gender, culture: Population.cultures[place.2], conditions: conditions,
                                    resourceSetting: place.3, researchConsent: member.consent, cohort: cohort))
            }
        }
        if supporters.isEmpty { supporters = [0] }
        if seekers.isEmpty { seekers = [0] }
        createGroups()
    }

    mutating func createGroups() {
        let count = max(2, config.members / 250)
        for g in 0..<count {
            let focus = g % 3 == 0 ? "general" : [Condition.depression, .anxiety, .ptsd, .bipolar, .eatingDisorder, .ocd][g % 6].rawValue
            groups.append((id: Self.id("g", g, width: 4), weekday: g % 7, facilitator: pick(supporters), focus: focus, regular: [], occasional: []))
        }
        for s in seekers where rng.bernoulli(truth.groupJoinProbability) {
            let g = rng.integer(below: groups.count)
            if rng.bernoulli(truth.regularShare) { groups[g].regular.append(s) } else { groups[g].occasional.append(s) }
        }
    }

    // MARK: A day

    mutating func simulate(day: Int) {
        let dayStart = startMicros + Int64(day) * Self.day
        for i in joinsByDay[day] { onJoin(i) }
        for i in members.indices {
            let m = members[i]
            guard m.joinDay <= day, day < m.endDay else { continue }
            let active = rng.bernoulli(m.isSupporter ? truth.activeProbabilitySupporter : truth.activeProbabilitySeeker)
            guard active else { continue }
            let duration = Self.round4(logNormal(median: 900, sigma: 0.9)).rounded()
            let activityTs = max(dayStart + Int64(rng.uniform() * Double(Self.day)), m.joinTs + Self.minute)
            emit(activityTs) { .activity(ActivityEvent(ts: $0, member: Self.memberID(i), durationSeconds: duration)) }
            if m.role == .seeker {
                for _ in 0..<rng.poisson(mean: truth.threadsPerActiveSeekerDay) {
                    openThread(by: i, at: max(activityTs, dayStart + Int64(rng.uniform() * Double(Self.day))), day: day)
                }
                for _ in 0..<rng.poisson(mean: 0.25) {
                    let (framework, names) = pick(Population.skills)
                    let skill = pick(names)
                    let completed = rng.bernoulli(0.7)
                    emit(activityTs + Int64(rng.uniform() * 3_600_000_000)) {
                        .skill(SkillEvent(ts: $0, member: Self.memberID(i), framework: framework, skill: skill, completed: completed))
                    }
                }
            }
        }
        for g in groups.indices where groups[g].weekday == day % 7 { groupSession(g, day: day, dayStart: dayStart) }
    }

    mutating func onJoin(_ i: Int) {
        let m = members[i]
        guard m.joinDay >= 0 else { return }
        if m.isSupporter {
            for course in Population.courses where rng.bernoulli(0.7) {
                let completed = rng.bernoulli(0.85)
                emit(m.joinTs + Int64(rng.uniform() * 2 * Double(Self.day))) {
                    .training(TrainingEvent(ts: $0, member: Self.memberID(i), course: course, completed: completed))
                }
            }
        } else {
            if rng.bernoulli(truth.matchOfferProbability) { offerMatch(to: i) }
            scheduleCheckins(i)
        }
    }

    // MARK: Threads and messages

    mutating func openThread(by author: Int, at ts: Int64, day: Int) {
        threadCounter += 1
        let thread = Self.id("t", threadCounter, width: 8)
        let conditions = members[author].conditions
        let space = conditions.isEmpty || rng.bernoulli(0.2) ? "general" : pick(conditions).rawValue
        let opener = message(by: author, at: ts, space: space, thread: thread, replyTo: nil, day: day)
        let unanswered = rng.bernoulli(truth.unansweredShare)
        if ts < endMicros - 3 * Self.day {
            threadsEarly += 1
            if unanswered { unansweredEarly += 1 }
        }
        guard !unanswered else { return }
        var replyTs = ts + Int64(logNormal(median: truth.firstReplyMedianMinutes, sigma: truth.firstReplySigma) * Double(Self.minute))
        var previous = (id: opener, ts: ts)
        for r in 0..<(1 + rng.poisson(mean: truth.extraRepliesMean)) {
            var replier = rng.bernoulli(truth.seekerReplyShare) ? pick(seekers) : pick(supporters)
            if replier == author { replier = pick(supporters) }
            // Later replies answer the opener or the latest message; never something that comes after them.
            let parent = r > 0 && rng.bernoulli(0.5) ? previous : (id: opener, ts: ts)
            replyTs = max(replyTs, parent.ts + Self.minute)
            previous = (message(by: replier, at: replyTs, space: space, thread: thread, replyTo: parent.id, day: day), replyTs)
            // The author answers the first reply 40 % of the time: reciprocity inside the thread.
            if r == 0 && rng.bernoulli(0.4) {
                let back = replyTs + Int64(logNormal(median: 30, sigma: 1.0) * Double(Self.minute))
                previous = (message(by: author, at: back, space: space, thread: thread, replyTo: previous.id, day: day), back)
            }
            replyTs += Int64(logNormal(median: 40, sigma: 1.0) * Double(Self.minute))
        }
    }

    /// The severity a second clinician gives a reviewed message (nil: no second review), from its own stream.
    func secondReview(of first: Severity) -> Severity? {
        guard secondReviewRNG.bernoulli(truth.secondReviewShare) else { return nil }
        if secondReviewRNG.bernoulli(truth.secondReviewAgreement) { return first }
        let step = secondReviewRNG.bernoulli(0.5) ? 1 : -1
        let rank = min(max(first.rank + step, 0), Severity.allCases.count - 1)
        // At the ends of the scale the step that would leave it goes the other way, so a disagreement stays one.
        return Severity.allCases[rank == first.rank ? first.rank - step : rank]
    }

    /// Emits a message with its scores, review, alert chain and moderation; returns its id.
    mutating func message(by author: Int, at ts: Int64, space: String, thread: String, replyTo: String?, day: Int) -> String {
        messageCounter += 1
        let id = Self.id("msg", messageCounter, width: 9)
        let chars = max(1, Int(logNormal(median: truth.charsMedian, sigma: truth.charsSigma)))
        let member = Self.memberID(author)
        emit(ts) { .message(MessageEvent(ts: $0, id: id, member: member, space: space, thread: thread, replyTo: replyTo, chars: chars)) }
        let written = ts < endMicros

        let crisisLogit = truth.crisisIntercept + members[author].crisisEffect + rng.normal(mean: 0, sd: truth.crisisMessageSD)
        let crisis = rng.bernoulli(Self.expit(crisisLogit))
        let toxicityLogit = truth.toxicityIntercept + rng.normal(mean: 0, sd: truth.toxicityMessageSD)
        let toxic = rng.bernoulli(Self.expit(toxicityLogit))
        if written {
            messagesWritten += 1
            if crisis { crisisPositives += 1 }
            if toxic { toxicPositives += 1 }
        }
        let culture = Population.cultures[members[author].culture]
        var crisisScores: [String: Double] = [:]
        var toxicityScore = 0.0
        var scoreTs = ts + 1_000_000
        for model in truth.models where model.firstDay <= day {
            let latent = model.model == "crisis" ? crisisLogit : toxicityLogit
            var z = model.a + model.b * latent + rng.normal(mean: 0, sd: model.noiseSD)
            if model.disparityCulture == culture { z += model.disparityShift }
            let score = Self.round4(Self.expit(z))
            emit(scoreTs) { .score(ScoreEvent(ts: $0, message: id, model: model.model, version: model.version, score: score)) }
            scoreTs += 500_000
            if model.model == "crisis" { crisisScores[model.version] = score } else { toxicityScore = score }
        }

        // Alerts from the deployed crisis version.
        let deployed = deployedCrisisModel(day: day)
        if let deployed, let threshold = deployed.threshold, let score = crisisScores[deployed.version], score >= threshold {
            alertCounter += 1
            let alert = Self.id("al", alertCounter, width: 8)
            let alertTs = scoreTs + 1_000_000
            emit(alertTs) { .alert(AlertEvent(ts: $0, id: alert, message: id, member: member, model: "crisis", version: deployed.version, score: score, threshold: threshold)) }
            if rng.bernoulli(truth.responseProbability) {
                let responseTs = alertTs + Int64(logNormal(median: truth.responseMedianMinutes, sigma: truth.responseSigma) * Double(Self.minute))
                let role: ResponderRole = [.peer, .professional, .hotline, .emergency][rng.categorical([0.5, 0.3, 0.15, 0.05])]
                let outcome: ResponseOutcome = crisis
                    ? [.supported, .escalated, .emergencyServices, .noContact][rng.categorical([0.6, 0.25, 0.1, 0.05])]
                    : [.falseAlarm, .supported, .noContact][rng.categorical([0.6, 0.35, 0.05])]
                let responder = Self.memberID(pick(supporters))
                emit(responseTs) { .response(ResponseEvent(ts: $0, alert: alert, responder: responder, responderRole: role, outcome: outcome)) }
                if outcome != .falseAlarm {
                    let completed = rng.bernoulli(truth.followupCompletedProbability)
                    emit(responseTs + Self.day) { .followup(FollowupEvent(ts: $0, alert: alert, completed: completed)) }
                }
            }
        }

        // Human review of a sample enriched for high crisis scores.
        if let s = crisisScores["v1"] {
            let inclusion = min(1, truth.reviewBase + truth.reviewSlope * s * s)
            if rng.bernoulli(inclusion) {
                let severity: Severity = crisis
                    ? [.moderate, .high, .imminent][rng.categorical(truth.positiveSeverityShares)]
                    : (rng.bernoulli(0.8) ? Severity.none : .low)
                let weight = (1 / inclusion * 1_000_000).rounded() / 1_000_000
                let reviewTs = ts + Int64(rng.exponential(mean: 6 * 60) * Double(Self.minute))
                emit(reviewTs) {
                    .review(ReviewEvent(ts: $0, message: id, kind: .crisis, severity: severity, positive: nil, reviewerRole: "clinician", weight: weight))
                }
                if let second = secondReview(of: severity) {
                    let delay = Self.minute * 60 + Int64(secondReviewRNG.exponential(mean: 24 * 60) * Double(Self.minute))
                    emit(reviewTs + delay) {
                        .review(ReviewEvent(ts: $0, message: id, kind: .crisis, severity: second, positive: nil, reviewerRole: "clinician", weight: weight))
                    }
                }
            }
        }
        let toxicityInclusion = min(1, 0.05 + 0.6 * toxicityScore)
        if rng.bernoulli(toxicityInclusion) {
            let weight = (1 / toxicityInclusion * 1_000_000).rounded() / 1_000_000
            emit(ts + Int64(rng.exponential(mean: 12 * 60) * Double(Self.minute))) {
                .review(ReviewEvent(ts: $0, message: id, kind: .toxicity, severity: nil, positive: toxic, reviewerRole: "moderator", weight: weight))
            }
        }

        // Moderation and appeals.
        var moderated: (layer: ModerationLayer, action: ModerationAction, delay: Double)?
        if toxicityScore >= truth.automaticModerationThreshold {
            moderated = (.automatic, .hide, 0.05)
        } else if toxic, rng.bernoulli(truth.humanModerationProbability) {
            let layer: ModerationLayer = [.peer, .community, .professional][rng.categorical([0.5, 0.3, 0.2])]
            let action: ModerationAction = [.warn, .hide, .educate, .suspend][rng.categorical([0.4, 0.4, 0.15, 0.05])]
            moderated = (layer, action, logNormal(median: 45, sigma: 1.0))
        }
        // Inside a re-offence window the member's further moderation comes from the re-offence draw alone.
        if members[author].probationUntil > ts { moderated = nil }
        if let moderated {
            moderationCounter += 1
            let moderation = Self.id("mod", moderationCounter, width: 8)
            let modTs = ts + Int64(moderated.delay * Double(Self.minute)) + 1_000_000
            let reason: ModerationReason = toxic ? (rng.bernoulli(0.7) ? .toxicity : .harassment) : .other
            emit(modTs) { .moderation(ModerationEvent(ts: $0, id: moderation, message: id, member: nil, action: moderated.action, layer: moderated.layer, reason: reason)) }
            if rng.bernoulli(truth.appealProbability) {
                let overturned = rng.bernoulli(toxic ? truth.appealOverturnIfToxic : truth.appealOverturnIfNotToxic)
                emit(modTs + Int64(rng.exponential(mean: 2) * Double(Self.day))) {
                    .appeal(AppealEvent(ts: $0, moderation: moderation, outcome: overturned ? .overturned : .upheld))
                }
            }
            if let p = truth.reoffenceProbability(after: moderated.action) {
                // Restorative outcome: re-offends within the window with the action's probability; the
                // re-offence is a member-level moderation (hide) at a uniform time in the window.
                let window = Int64(truth.reoffenceWindowDays) * Self.day
                members[author].probationUntil = modTs + window
                if rng.bernoulli(p) {
                    moderationCounter += 1
                    let again = Self.id("mod", moderationCounter, width: 8)
                    let layer: ModerationLayer = [.peer, .community, .professional][rng.categorical([0.5, 0.3, 0.2])]
                    emit(modTs + 1_000_000 + Int64(rng.uniform() * Double(window - 2_000_000))) {
                        .moderation(ModerationEvent(ts: $0, id: again, message: nil, member: member, action: .hide, layer: layer, reason: .toxicity))
                    }
                }
            }
        }
        return id
    }

    func deployedCrisisModel(day: Int) -> TrueParameters.ModelCalibration? {
        truth.models.first { m in
            guard m.model == "crisis", let from = m.deployedFrom else { return false }
            return day >= from && day < (m.deployedUntil ?? Int.max)
        }
    }

    // MARK: Matches, groups, check-ins

    mutating func offerMatch(to seeker: Int) {
        matchCounter += 1
        let id = Self.id("mt", matchCounter, width: 7)
        let peer = pick(supporters)
        let kind: MatchKind = [.primary, .mentor, .group, .crisis][rng.categorical([0.8, 0.1, 0.05, 0.05])]
        var c = (0..<7).map { _ in Self.round4(rng.beta(2, 2)) }
        let sameCulture = members[peer].culture == members[seeker].culture
        c.append(Self.round4(sameCulture ? rng.beta(8, 2) : rng.beta(1.5, 3)))
        let components = MatchComponents(values: c)
        let weights = truth.matchScoreWeights
        let score = Self.round4(zip(weights, c).map(*).reduce(0, +) / weights.reduce(0, +))
        let accepted = rng.bernoulli(0.6 + 0.35 * score)
        let ts = members[seeker].joinTs + Int64(rng.uniform() * 2 * Double(Self.day))
        let seekerID = Self.memberID(seeker), peerID = Self.memberID(peer)
        emit(ts) { .match(MatchEvent(ts: $0, id: id, seeker: seekerID, peer: peerID, kind: kind, score: score, components: components, accepted: accepted)) }
        guard accepted else { return }
        let success = rng.bernoulli(Self.expit(truth.matchSuccessIntercept + zip(truth.matchSuccessWeights, c).map(*).reduce(0, +)))
        if ts < endMicros {
            acceptedMatches += 1
            if success { successfulMatches += 1 }
        }
        let sessions = success ? 4 + rng.poisson(mean: 4) : rng.poisson(mean: 2)
        let rated = rng.bernoulli(0.8)
        let rating = success ? 4 + rng.integer(below: 2) : 1 + rng.integer(below: 3)
        let reason: MatchEndReason = success ? .completed : [.seekerLeft, .peerLeft, .safety, .rematch][rng.categorical([0.5, 0.25, 0.08, 0.17])]
        let endTs = ts + Int64((Double(max(1, sessions)) * 3.5 + rng.uniform()) * Double(Self.day))
        emit(endTs) { .matchEnd(MatchEndEvent(ts: $0, match: id, sessions: sessions, rating: rated ? rating : nil, reason: reason)) }
    }

    mutating func groupSession(_ g: Int, day: Int, dayStart: Int64) {
        let group = groups[g]
        var attendees: [String] = []
        for (list, p) in [(group.regular, truth.regularAttendance), (group.occasional, truth.occasionalAttendance)] {
            for s in list where members[s].joinDay <= day && day < members[s].endDay && rng.bernoulli(p) {
                attendees.append(Self.memberID(s))
            }
        }
        guard !attendees.isEmpty else { return }
        let session = Self.id("s", day / 7 + 1, width: 3)
        let facilitator = Self.memberID(group.facilitator)
        emit(dayStart + 18 * 3_600_000_000) {
            .groupSession(GroupSessionEvent(ts: $0, group: group.id, session: session, facilitator: facilitator, focus: group.focus, attendees: attendees))
        }
    }

    mutating func scheduleCheckins(_ i: Int) {
        let m = members[i]
        var instruments: [(String, Double, Double, ClosedRange<Double>)] = []
        if m.conditions.contains(.depression) { instruments.append(("PHQ-9", m.phq9Baseline, m.phq9Improvement, 0...27)) }
        if m.conditions.contains(.anxiety) { instruments.append(("GAD-7", m.gad7Baseline, m.gad7Improvement, 0...21)) }
        for (name, baseline, improvement, range) in instruments {
            var k = 0
            while true {
                let offsetDays = Double(k * 14)
                let ts = m.joinTs + 3_600_000_000 + Int64(offsetDays * Double(Self.day))
                let day = Int(floor(Double(ts - startMicros) / Double(Self.day)))
                if ts >= endMicros || day >= m.endDay { break }
                if k == 0 || rng.bernoulli(0.8) {
                    let weeks = offsetDays / 7
                    let raw = baseline - improvement * min(1, weeks / 8) + rng.normal(mean: 0, sd: truth.checkinNoiseSD)
                    let score = min(range.upperBound, max(range.lowerBound, raw.rounded()))
                    let item = name == "PHQ-9" ? riskItem(crisisEffect: m.crisisEffect, total: score) : nil
                    emit(ts) { .checkin(CheckinEvent(ts: $0, member: Self.memberID(i), instrument: name, score: score, riskItem: item)) }
                }
                k += 1
            }
        }
    }

    /// A PHQ-9 item 9 score for a member with crisis propensity `crisisEffect` (see `TrueParameters.riskItemCutpoints`),
    /// at most the check-in's `total`.
    func riskItem(crisisEffect: Double, total: Double) -> Int {
        let linear = truth.riskItemSlope * crisisEffect + riskItemRNG.normal(mean: 0, sd: truth.riskItemCheckinSD)
        let u = riskItemRNG.uniform()
        var item = 0
        for cut in truth.riskItemCutpoints where u < Self.expit(cut + linear) { item += 1 }
        return min(item, Int(total))
    }

    // MARK: Manifest

    func manifest() -> SimulationManifest {
        let byName = Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        let seekerMembers = seekers.map { members[$0] }
        let phq = seekerMembers.filter { $0.conditions.contains(.depression) }.map(\.phq9Improvement)
        let gad = seekerMembers.filter { $0.conditions.contains(.anxiety) }.map(\.gad7Improvement)
        let spread = (truth.phq9ImprovementSD * truth.phq9ImprovementSD + 2 * truth.checkinNoiseSD * truth.checkinNoiseSD).squareRoot()
        let reliable = 1 - 0.5 * erfc(-((5.5 - truth.phq9ImprovementMean) / spread) / 2.0.squareRoot())
        let consent = members.filter(\.consent).count
        let realised = RealisedTruth(
            crisisPrevalence: messagesWritten > 0 ? Double(crisisPositives) / Double(messagesWritten) : 0,
            toxicityPrevalence: messagesWritten > 0 ? Double(toxicPositives) / Double(messagesWritten) : 0,
            threadsOpenedBeforeLast3Days: threadsEarly,
            unansweredShareBeforeLast3Days: threadsEarly > 0 ? Double(unansweredEarly) / Double(threadsEarly) : 0,
            membersWithConsent: consent, membersWithoutConsent: members.count - consent,
            acceptedMatches: acceptedMatches,
            matchSuccessShare: acceptedMatches > 0 ? Double(successfulMatches) / Double(acceptedMatches) : 0,
            meanPHQ9Improvement: phq.isEmpty ? 0 : phq.reduce(0, +) / Double(phq.count),
            meanGAD7Improvement: gad.isEmpty ? 0 : gad.reduce(0, +) / Double(gad.count),
            expectedPHQ9ReliableImprovementAt8Weeks: reliable)
        return SimulationManifest(config: config, parameters: truth, counts: byName,
                                  totalEvents: byName.values.reduce(0, +), realised: realised)
    }
}
