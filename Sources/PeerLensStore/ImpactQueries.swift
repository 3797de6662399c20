import GRDB
import PeerLensLog

/// A member's role, consent and equity attributes, as the impact figures read them.
public struct ImpactMember: Sendable, Equatable {
    /// The member's pseudonym.
    public let member: String
    /// `seeker`, `peer`, `listener`, `moderator` or `professional`.
    public let role: String
    /// Gender label, when recorded.
    public let gender: String?
    /// Resource setting, when recorded.
    public let resourceSetting: String?
    /// Region (ISO 3166-1 country code), when recorded.
    public let region: String?
    /// Age band, when recorded.
    public let ageBand: String?
    /// Whether the member consented to research use.
    public let researchConsent: Bool
}

/// One crisis alert with what the impact figures need: whose it is, when it was raised, the first human
/// response, and what review said of its message.
public struct CrisisAlertRecord: Sendable, Equatable {
    /// The member the alert is about (the author of the flagged message).
    public let member: String
    /// When the alert was raised (microseconds since the epoch).
    public let raisedAt: Int64
    /// The first response to it (nil when no one responded).
    public let firstResponseAt: Int64?
    /// The verdict of the latest `crisis` review of the alert's message: its `positive` flag, else severity at
    /// or above `moderate` (the risk analyses' defaults); nil when the message was not reviewed.
    public let confirmed: Bool?
}

/// Who wrote messages, and who started each thread (`EventStore.messageAuthorsAndThreadStarters`).
public struct MessageAuthorsAndStarters: Sendable {
    /// Every distinct message author.
    public let authors: Set<String>
    /// Each thread's starter: the author of its earliest message (ties: the smallest message id).
    public let starters: [String: String]
}

/// The impact figures' reads (`peerlens impact`, the funder report): every statement is here, none in the
/// analysis.
extension EventStore {
    /// Every member with role, consent and the attributes the equity breakdowns use.
    package static func impactMembers(_ db: Database) throws -> [ImpactMember] {
        try Row.fetchAll(db, sql: "SELECT member, role, gender, resource_setting, region, age_band, research_consent FROM member ORDER BY member").map { row in
            ImpactMember(member: row[0], role: row[1], gender: row[2], resourceSetting: row[3], region: row[4], ageBand: row[5], researchConsent: row[6])
        }
    }

    /// Members with an event of their own other than a message: activity, a check-in, a skill, a training
    /// course, a group session attended, a match as seeker, or an accepted match as peer.
    package static func membersWithOwnEventsBesidesMessages(_ db: Database) throws -> Set<String> {
        var members = Set<String>()
        for sql in ["SELECT DISTINCT member FROM activity", "SELECT DISTINCT member FROM checkin",
                    "SELECT DISTINCT member FROM skill", "SELECT DISTINCT member FROM training", "SELECT DISTINCT member FROM group_attendee",
                    "SELECT DISTINCT seeker FROM \"match\"", "SELECT DISTINCT peer FROM \"match\" WHERE accepted = 1"] {
            members.formUnion(try String.fetchAll(db, sql: sql))
        }
        return members
    }

    /// The seeker and peer of every accepted match.
    package static func acceptedMatches(_ db: Database) throws -> [(seeker: String, peer: String)] {
        try Row.fetchAll(db, sql: "SELECT seeker, peer FROM \"match\" WHERE accepted = 1 ORDER BY id").map { ($0[0], $0[1]) }
    }

    /// Members who completed at least one training course.
    package static func membersWithCompletedTraining(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT member FROM training WHERE completed = 1 ORDER BY member")
    }

    /// Calls `body` with the member and score of every check-in on `instrument`, grouped by member (the key
    /// order) and in time order within each member.
    package static func checkinScoresByMember(_ db: Database, instrument: String, _ body: (String, Double) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT member, score FROM checkin WHERE instrument = ? ORDER BY member, ts", arguments: [instrument])
        while let row = try rows.next() { try body(row[0], row[1]) }
    }

    /// Every alert of `model` with its member, time, first response and the latest `crisis` review of its
    /// message (ties in time: the reviewer role last in order, as `reviews(_:kind:)` orders them).
    package static func crisisAlerts(_ db: Database, model: String) throws -> [CrisisAlertRecord] {
        try Row.fetchAll(db, sql: """
            SELECT a.member, a.ts, (SELECT min(r.ts) FROM response r WHERE r.alert = a.id) AS first_response,
                   (SELECT v.positive FROM review v WHERE v.message = a.message AND v.kind = 'crisis' ORDER BY v.ts DESC, v.reviewer_role DESC LIMIT 1) AS positive,
                   (SELECT v.severity FROM review v WHERE v.message = a.message AND v.kind = 'crisis' ORDER BY v.ts DESC, v.reviewer_role DESC LIMIT 1) AS severity,
                   EXISTS (SELECT 1 FROM review v WHERE v.message = a.message AND v.kind = 'crisis') AS reviewed
            FROM alert a WHERE a.model = ? ORDER BY a.ts, a.id
            """, arguments: [model]).map { row in
            let positive: Bool? = row[3], severity = (row[4] as String?).flatMap(Severity.init(rawValue:)), reviewed: Bool = row[5]
            return CrisisAlertRecord(member: row[0], raisedAt: row[1], firstResponseAt: row[2],
                                     confirmed: reviewed ? (positive ?? (severity.map { $0 >= .moderate } ?? false)) : nil)
        }
    }
}

/// Everything the impact figures read (`EventSource.impactData(model:instruments:)`).
public struct ImpactData: Sendable {
    /// Every member, by pseudonym.
    public let members: [ImpactMember]
    /// Members with an event of their own other than a message (see `EventStore.membersWithOwnEventsBesidesMessages`).
    public let ownEventMembers: Set<String>
    /// The seeker and peer of every accepted match, by match id.
    public let acceptedMatches: [MatchPair]
    /// Members who completed at least one training course, sorted.
    public let completedTraining: [String]
    /// The alerts of the model, by time, then id.
    public let crisisAlerts: [CrisisAlertRecord]
    /// Per instrument asked for: each member's first and last score (by time) and number of check-ins, by member.
    public let checkinRuns: [String: [CheckinRun]]
    /// Message authors and thread starters.
    public let messageAuthors: MessageAuthorsAndStarters
    /// The latest event time (0 when there are none).
    public let dataEnd: Int64
    /// The first message or activity (nil when there are none).
    public let dataStart: Int64?

    /// Collects the parts.
    package init(members: [ImpactMember], ownEventMembers: Set<String>, acceptedMatches: [MatchPair], completedTraining: [String],
                 crisisAlerts: [CrisisAlertRecord], checkinRuns: [String: [CheckinRun]], messageAuthors: MessageAuthorsAndStarters,
                 dataEnd: Int64, dataStart: Int64?) {
        self.members = members
        self.ownEventMembers = ownEventMembers
        self.acceptedMatches = acceptedMatches
        self.completedTraining = completedTraining
        self.crisisAlerts = crisisAlerts
        self.checkinRuns = checkinRuns
        self.messageAuthors = messageAuthors
        self.dataEnd = dataEnd
        self.dataStart = dataStart
    }

    /// The two members of an accepted match.
    public struct MatchPair: Sendable, Equatable {
        /// The seeker.
        public let seeker: String
        /// The peer.
        public let peer: String
        /// A pair.
        package init(seeker: String, peer: String) { self.seeker = seeker; self.peer = peer }
    }

    /// A member's check-ins of one instrument, folded.
    public struct CheckinRun: Sendable, Equatable {
        /// The member.
        public let member: String
        /// The score of their earliest check-in.
        public let first: Double
        /// The score of their latest check-in.
        public let last: Double
        /// How many check-ins they have.
        public let count: Int
        /// A run.
        package init(member: String, first: Double, last: Double, count: Int) {
            self.member = member; self.first = first; self.last = last; self.count = count
        }
    }
}

extension ImpactMember {
    /// A member.
    package init(member: String, role: String, gender: String?, resourceSetting: String?, region: String?, ageBand: String?, consent: Bool) {
        self.init(member: member, role: role, gender: gender, resourceSetting: resourceSetting, region: region, ageBand: ageBand, researchConsent: consent)
    }
}

extension CrisisAlertRecord {
    /// An alert as the impact figures read it: `confirmed` from the latest `crisis` review of its message (its
    /// `positive` flag, else severity at or above `moderate`), nil when `reviewed` is false.
    package init(member: String, raisedAt: Int64, firstResponseAt: Int64?, reviewed: Bool, positive: Bool?, severity: Severity?) {
        self.init(member: member, raisedAt: raisedAt, firstResponseAt: firstResponseAt,
                  confirmed: reviewed ? (positive ?? (severity.map { $0 >= .moderate } ?? false)) : nil)
    }
}

extension MessageAuthorsAndStarters {
    /// Authors and starters.
    package init(authorSet: Set<String>, starters: [String: String]) { self.init(authors: authorSet, starters: starters) }
}

extension EventStore {
    /// What the impact figures read, `model`'s alerts and the check-ins of `instruments`; the scan of every message
    /// runs on a second connection, overlapping with the other reads.
    public func impactData(model: String, instruments: [String]) throws -> ImpactData {
        let messageAuthors = readInBackground { db in try EventStore.messageAuthorsAndThreadStarters(db) }
        let data = try read("reading what the impact figures count") { db in
            var runs: [String: [ImpactData.CheckinRun]] = [:]
            for instrument in instruments {
                var list: [ImpactData.CheckinRun] = []
                try Self.checkinScoresByMember(db, instrument: instrument) { m, score in
                    if let last = list.last, last.member == m {
                        list[list.count - 1] = .init(member: m, first: last.first, last: score, count: last.count + 1)
                    } else {
                        list.append(.init(member: m, first: score, last: score, count: 1))
                    }
                }
                runs[instrument] = list
            }
            return (members: try Self.impactMembers(db), own: try Self.membersWithOwnEventsBesidesMessages(db),
                    matches: try Self.acceptedMatches(db).map { ImpactData.MatchPair(seeker: $0.seeker, peer: $0.peer) },
                    trained: try Self.membersWithCompletedTraining(db), alerts: try Self.crisisAlerts(db, model: model), runs: runs,
                    end: try Self.dataEnd(db), start: try Self.dataSpan(db, of: [.message, .activity])?.first)
        }
        return ImpactData(members: data.members, ownEventMembers: data.own, acceptedMatches: data.matches, completedTraining: data.trained,
                          crisisAlerts: data.alerts, checkinRuns: data.runs, messageAuthors: try messageAuthors.value(),
                          dataEnd: data.end, dataStart: data.start)
    }
}
