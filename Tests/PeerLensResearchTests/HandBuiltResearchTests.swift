import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensResearch
@testable import PeerLensStats
@testable import PeerLensStore

/// Log lines for hand-built stores.
enum Lines {
    static func member(_ id: String, role: String = "seeker", consent: Bool = true, cohort: String? = nil, ts: String = "2026-01-01T00:00:00Z") -> String {
        "{\"type\":\"member\",\"ts\":\"\(ts)\",\"member\":\"\(id)\",\"role\":\"\(role)\",\"research_consent\":\(consent)"
            + (cohort.map { ",\"cohort\":\"\($0)\"" } ?? "") + "}"
    }
    static func checkin(_ member: String, _ instrument: String, _ score: Double, day: Int) -> String {
        "{\"type\":\"checkin\",\"ts\":\"\(date(day))\",\"member\":\"\(member)\",\"instrument\":\"\(instrument)\",\"score\":\(score)}"
    }
    static func activity(_ member: String, day: Int) -> String {
        "{\"type\":\"activity\",\"ts\":\"\(date(day))\",\"member\":\"\(member)\",\"duration_s\":600}"
    }
    static func match(_ id: String, seeker: String, peer: String, day: Int, accepted: Bool = true, score: Double = 0.6) -> String {
        "{\"type\":\"match\",\"ts\":\"\(date(day))\",\"id\":\"\(id)\",\"seeker\":\"\(seeker)\",\"peer\":\"\(peer)\",\"kind\":\"primary\",\"score\":\(score),"
            + "\"components\":{\"experience\":0.5,\"communication\":0.5,\"support_style\":0.5,\"demographic\":0.5,\"recovery_stage\":0.5,\"availability\":0.5,\"safety\":0.5,\"cultural\":0.5},"
            + "\"accepted\":\(accepted)}"
    }
    static func matchEnd(_ id: String, day: Int, sessions: Int, rating: Int?, reason: String) -> String {
        "{\"type\":\"match_end\",\"ts\":\"\(date(day))\",\"match\":\"\(id)\",\"sessions\":\(sessions)," + (rating.map { "\"rating\":\($0)," } ?? "") + "\"reason\":\"\(reason)\"}"
    }
    static func groupSession(_ group: String, _ session: String, day: Int, facilitator: String, attendees: [String]) -> String {
        "{\"type\":\"group_session\",\"ts\":\"\(date(day))\",\"group\":\"\(group)\",\"session\":\"\(session)\",\"facilitator\":\"\(facilitator)\",\"focus\":\"general\","
            + "\"attendees\":[" + attendees.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
    }
    static func date(_ day: Int) -> String {
        Timestamp(microseconds: Timestamp(rfc3339: "2026-01-02T12:00:00Z")!.microseconds + Int64(day) * 86_400_000_000).rfc3339
    }
}

@Suite("Research analyses on hand-built stores")
struct HandBuiltResearchTests {
    /// Twelve PHQ-9 pairs whose every figure is computed by hand below.
    static let pairs: [(Double, Double)] = [(20, 12), (18, 11), (15, 14), (12, 5), (10, 9), (22, 22), (9, 3), (14, 15), (16, 8), (11, 10), (25, 17), (13, 6)]

    @Test("Change, reliable improvement, recovery and reliable recovery equal a hand computation")
    func handComputed() throws {
        let (store, dir) = try newResearchStore()
        var lines = [Lines.member("m_out", consent: false), Lines.checkin("m_out", "PHQ-9", 27, day: 0), Lines.checkin("m_out", "PHQ-9", 0, day: 30)]
        for (i, (a, b)) in Self.pairs.enumerated() {
            lines += [Lines.member("m\(i)"), Lines.checkin("m\(i)", "PHQ-9", a, day: 0), Lines.checkin("m\(i)", "PHQ-9", 17, day: 10), Lines.checkin("m\(i)", "PHQ-9", b, day: 40)]
        }
        lines += [Lines.member("m_single"), Lines.checkin("m_single", "PHQ-9", 19, day: 3)]
        try ingest(lines, into: store, directory: dir)
        let options = OutcomesOptions()
        let report = try OutcomesReport.analyse(store: store, options: options)
        #expect(report.membersExcluded == 1)
        let phq = try #require(report.instruments.first)
        #expect(phq.membersWithCheckins == 13 && phq.membersWithOneCheckin == 1 && phq.membersAnalysed == 12)
        let changes = Self.pairs.map { $0.1 - $0.0 }
        #expect(abs(try #require(phq.change).mean - changes.reduce(0, +) / 12) < 1e-12)
        // NHS Talking Therapies: a fall of ≥ 6 is reliable; caseness ≥ 10.
        let improved = Self.pairs.filter { $0.0 - $0.1 >= 6 }.count                     // 7
        let cases = Self.pairs.filter { $0.0 >= 10 }                                      // 11 (9 is not a case)
        let recovered = cases.filter { $0.1 < 10 }                                        // 4
        let reliablyRecovered = recovered.filter { $0.0 - $0.1 >= 6 }.count               // 3
        #expect(improved == 7 && cases.count == 11 && recovered.count == 4 && reliablyRecovered == 3)
        #expect(phq.reliableImprovement?.count == improved && phq.reliableImprovement?.total == 12)
        #expect(phq.reliableDeterioration?.count == 0)
        #expect(phq.atCaseness == 11 && phq.recovery?.count == 4 && phq.recovery?.total == 11 && phq.reliableRecovery?.count == 3)
        // Jacobson–Truax with r = 0.89 and the baseline SD (n − 1).
        let baseline = Self.pairs.map(\.0), mean = baseline.reduce(0, +) / 12
        let sd = (baseline.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 11).squareRoot()
        let threshold = 1.959963984540054 * 2.0.squareRoot() * sd * (1 - 0.89).squareRoot()
        #expect(abs(try #require(phq.definition.jacobsonTruaxThreshold) - threshold) < 1e-9)
        #expect(phq.rciImproved?.count == Self.pairs.filter { $0.0 - $0.1 >= threshold }.count)
        // Paired t and effect size agree with the stats core on the same pairs.
        let t = try MeanTests.pairedT(Self.pairs.map(\.1), Self.pairs.map(\.0))
        #expect(phq.pairedT == t)
        // The analysis returns the real counts (seven improvers): disclosure control is the document's.
        #expect(phq.breakdown == nil)
    }

    @Test("A window keeps the last check-in within it; a minimum follow-up leaves short series out")
    func window() throws {
        let (store, dir) = try newResearchStore()
        var lines: [String] = []
        for (i, (a, b)) in Self.pairs.enumerated() {
            lines += [Lines.member("m\(i)"), Lines.checkin("m\(i)", "PHQ-9", a, day: 0), Lines.checkin("m\(i)", "PHQ-9", 17, day: 10), Lines.checkin("m\(i)", "PHQ-9", b, day: 40)]
        }
        try ingest(lines, into: store, directory: dir)
        var options = OutcomesOptions()
        options.minimumDays = 0
        options.maximumDays = 20
        let windowed = try #require(try OutcomesReport.analyse(store: store, options: options).instruments.first)
        #expect(abs(try #require(windowed.change).mean - Self.pairs.map { 17 - $0.0 }.reduce(0, +) / 12) < 1e-12)
        options.maximumDays = nil
        options.minimumDays = 45
        let short = try #require(try OutcomesReport.analyse(store: store, options: options).instruments.first)
        #expect(short.membersAnalysed == 0 && short.membersWithShortFollowUp == 12 && short.change == nil)
    }

    @Test("Degenerate stores: no check-ins, one check-in each, an instrument without a caseness cut-off")
    func degenerate() throws {
        let (store, dir) = try newResearchStore()
        try ingest([Lines.member("m1"), Lines.activity("m1", day: 1)], into: store, directory: dir)
        let none = try OutcomesReport.analyse(store: store)
        #expect(none.instruments.isEmpty && none.notes.contains { $0.contains("no check-ins") })

        let (single, dir2) = try newResearchStore()
        try ingest((0..<15).flatMap { [Lines.member("s\($0)"), Lines.checkin("s\($0)", "GAD-7", 12, day: $0)] }, into: single, directory: dir2)
        let one = try #require(try OutcomesReport.analyse(store: single).instruments.first)
        // Check-ins on days 0 to 14 and the data ending on day 14: only day 0's follow-up (14 days) was due.
        #expect(one.membersAnalysed == 0 && one.membersWithOneCheckin == 1 && one.membersNotYetDue == 14 && one.change == nil && one.reliableImprovement == nil)
        #expect(one.notes.contains { $0.contains("single check-in") })

        // WEMWBS: higher is better and there is no caseness cut-off, so no recovery.
        let (wellbeing, dir3) = try newResearchStore()
        var wellbeingLines: [String] = []
        for i in 0..<12 {
            wellbeingLines += [Lines.member("w\(i)"), Lines.checkin("w\(i)", "WEMWBS", Double(35 + i), day: 0), Lines.checkin("w\(i)", "WEMWBS", Double(45 + i % 3), day: 30)]
        }
        try ingest(wellbeingLines, into: wellbeing, directory: dir3)
        let options = OutcomesOptions()
        let w = try #require(try OutcomesReport.analyse(store: wellbeing, options: options).instruments.first)
        #expect(w.definition.lowerIsBetter == false && w.recovery == nil && w.atCaseness == nil)
        #expect(w.notes.contains { $0.contains("no caseness cut-off") })
        // Improvement on a well-being scale is a rise: threshold from Jacobson–Truax (no fixed service threshold).
        let threshold = try #require(w.definition.serviceThreshold)
        #expect(w.definition.serviceThresholdSource?.contains("Jacobson–Truax") == true)
        let rises: [Double] = (0..<12).map { (i: Int) -> Double in Double(45 + i % 3 - 35 - i) }
        #expect(w.reliableImprovement?.count == rises.filter { $0 >= threshold }.count)
        #expect(w.reliableDeterioration?.count == rises.filter { -$0 >= threshold }.count)
        // An empty store is an error, not an empty report.
        let (empty, _) = try newResearchStore()
        #expect(throws: ResearchError.self) { try OutcomesReport.analyse(store: empty) }
    }

    @Test("Invalid options are refused with a sentence")
    func invalidOptions() throws {
        let store = simulatedCommunity.store
        var outcomes = OutcomesOptions()
        outcomes.reliability = ["PHQ-9": 1.2]
        #expect(throws: ResearchError.self) { try OutcomesReport.analyse(store: store, options: outcomes) }
        outcomes = OutcomesOptions()
        outcomes.minimumDays = 30
        outcomes.maximumDays = 10
        #expect(throws: ResearchError.self) { try OutcomesReport.analyse(store: store, options: outcomes) }
        var engagement = EngagementOptions()
        engagement.inactiveDays = 0
        #expect(throws: ResearchError.self) { try EngagementReport.analyse(store: store, options: engagement) }
        var groups = GroupsOptions()
        groups.regularSessions = 1
        #expect(throws: ResearchError.self) { try GroupsReport.analyse(store: store, options: groups) }
    }

    @Test("Matches: one without an end is counted as open; too few of each outcome leave the model not estimable; counts are real")
    func matches() throws {
        let (store, dir) = try newResearchStore()
        var lines = [Lines.member("p1", role: "peer"), Lines.member("p2", role: "peer", consent: false)]
        for i in 0..<12 {
            lines += [Lines.member("s\(i)"), Lines.match("mt\(i)", seeker: "s\(i)", peer: "p1", day: i, score: 0.3 + Double(i) / 20)]
            if i > 0 { lines.append(Lines.matchEnd("mt\(i)", day: i + 10, sessions: i, rating: i % 5 + 1, reason: i % 2 == 0 ? "completed" : "seeker_left")) }
        }
        lines.append(Lines.match("mt_out", seeker: "s0", peer: "p2", day: 3))
        try ingest(lines, into: store, directory: dir)
        var options = MatchesOptions()
        options.minimumEachOutcome = 1
        let open = try MatchesReport.analyse(store: store, options: options)
        #expect(open.matchesExcluded == 1 && open.proposed == 12 && open.ended == 11 && open.open == 1)
        #expect(open.sessionsPerMatch?.mean == Double((1..<12).reduce(0, +)) / 11)
        #expect(open.ratings == [2, 3, 2, 2, 2])   // ratings i % 5 + 1 for i = 1…11
        options.minimumEachOutcome = 10
        let few = try MatchesReport.analyse(store: store, options: options)
        // Five completed of eleven: too few of each outcome to estimate the model (evaluability, not disclosure).
        #expect(few.components.isEmpty && few.scoreAUC == nil)
        #expect(few.notes.contains { $0.contains("cannot be estimated") })
        // The analysis returns the real counts: the success rate is 5 of 11, and the ratings are all there.
        #expect(few.successRate.count == 5 && few.successRate.total == 11)
        #expect(few.ratings.reduce(0, +) == 11)
    }

    @Test("Groups: a session with one attendee, a group of one, no check-ins for the outcome comparison")
    func groups() throws {
        let (store, dir) = try newResearchStore()
        var lines = [Lines.member("f1", role: "peer"), Lines.member("a1"), Lines.member("a2")]
        lines.append(Lines.groupSession("g1", "s1", day: 0, facilitator: "f1", attendees: ["a1"]))
        lines.append(Lines.groupSession("g1", "s2", day: 7, facilitator: "f1", attendees: ["a1", "a2"]))
        lines.append(Lines.groupSession("g2", "s1", day: 1, facilitator: "f1", attendees: ["a2"]))
        try ingest(lines, into: store, directory: dir)
        var options = GroupsOptions()
        options.regularSessions = 2
        let r = try GroupsReport.analyse(store: store, options: options)
        #expect(r.groups == 2 && r.sessions == 3 && r.sessionsWithOneAttendee == 2 && r.attendees == 2)
        // a1 attends g1's s1 and returns for s2; the only other attendance with a next session is none.
        #expect(r.nextSessionReturn.count == 1 && r.nextSessionReturn.total == 1)
        #expect(r.regularAttendees == 1 && r.outcomeDifference == nil && r.outcomes.allSatisfy { $0.meanChange == nil })
        #expect(r.attendancePerSession?.mean == 4.0 / 3)
    }
}
