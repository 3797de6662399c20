import PeerLensLog
import PeerLensStats
import PeerLensStore

/// The second detection channel (issue 12): members who endorsed a questionnaire's self-harm item (PHQ-9 item 9,
/// CORE-10 item 6; `risk_item` ≥ 1 on a `checkin`) and what the alerting model and the responders did for them.
///
/// Definitions (each member counts once, from the **index check-in**: their first endorsing check-in, at t₀):
/// - a window of W (24 hours, 7 days) is the closed interval [t₀, t₀ + W]. The windows' counts are of the members
///   **followed for 7 days**: t₀ + 7 days at or before the end of the data. Members who endorsed later are left out
///   of both windows (they would read as "no alert" only because the data stop) and counted apart. One cohort for
///   both windows keeps every count a part of one published total, so the disclosure policy's complementary
///   suppression covers them (a per-window cohort would nest totals within totals).
/// - **crisis alert**: an alert of the model about the member (the alert's `member`) raised in the window.
/// - **human contact**: a response (any responder role) to an alert of the model about the member, given in the
///   window — `peerlens crisis`'s definition of a human response. The alert may predate t₀: the contact is what
///   counts.
/// - **posted**: the member wrote at least one message in the window (the model can only score messages).
/// - **model sensitivity** among endorsing members: of those who posted in the window, the share with an alert
///   on one of those messages, with a Wilson 95 % interval (Wilson 1927; n is members, not messages).
/// - **time to contact**: hours from t₀ to the first human contact at or after t₀, Kaplan–Meier (Kaplan & Meier
///   1958) with Greenwood log intervals; members never contacted are censored at the end of the data.
public struct RiskItemReport: Sendable, Equatable, Codable {
    /// The alerting model.
    public let model: String
    /// End of the data (RFC 3339), where windows and time to contact are cut off.
    public let dataEnd: String
    /// Check-ins reporting the item, per instrument that has one.
    public let instruments: [InstrumentRow]
    /// Members with at least one endorsing check-in (item ≥ 1).
    public let endorsingMembers: Int
    /// Endorsing members followed for 7 days (index check-in at least 7 days before the end of the data): the
    /// cohort of `windows` and `byIndexScore`.
    public let followedMembers: Int
    /// Endorsing members whose index check-in falls in the last 7 days of the data (not in `windows`).
    public let notYetFollowed: Int
    /// Members followed for 7 days, by the item score of their index check-in (1, 2, …).
    public let byIndexScore: [ScoreRow]
    /// The 24-hour and 7-day windows.
    public let windows: [WindowRow]
    /// Time from the index check-in to the first human contact; nil when no member endorsed the item.
    public let timeToContact: TimeToContact?

    /// Check-ins of one instrument.
    public struct InstrumentRow: Sendable, Equatable, Codable {
        /// The instrument.
        public let instrument: String
        /// Its self-harm item (e.g. `item 9`).
        public let item: String
        /// Highest item score.
        public let maximum: Int
        /// Check-ins reporting the item (any score).
        public let reported: Int
        /// Check-ins with the item at 1 or more.
        public let endorsed: Int
        /// Members with such a check-in.
        public let members: Int
    }

    /// Endorsing members whose index check-in had one item score.
    public struct ScoreRow: Sendable, Equatable, Codable {
        /// The item score.
        public let score: Int
        /// Members.
        public let members: Int
    }

    /// What happened within one window of the index check-in.
    public struct WindowRow: Sendable, Equatable, Codable {
        /// `24 hours` or `7 days`.
        public let window: String
        /// The window's length in hours.
        public let hours: Double
        /// Members followed for 7 days with a crisis alert in the window.
        public let alerted: Share
        /// Members followed for 7 days with a human contact in the window.
        public let contacted: Share
        /// Members followed for 7 days who posted a message in the window.
        public let posted: Share
        /// The model's sensitivity: of the members who posted, those with an alert on a message of the window.
        public let sensitivity: Share
    }

    /// The Kaplan–Meier summary of time to first human contact.
    public struct TimeToContact: Sendable, Equatable, Codable {
        /// Members followed (every endorsing member).
        public let members: Int
        /// Members with a human contact at or after the index check-in.
        public let contacted: Int
        /// Median hours (nil: the curve does not reach one half).
        public let medianHours: Double?
        /// Lower limit of the median's 95 % interval.
        public let medianLower: Double?
        /// Upper limit of the median's 95 % interval.
        public let medianUpper: Double?
        /// 1 − S(24 h) with its interval.
        public let within24Hours: CrisisResponseReport.KaplanMeierShare
        /// 1 − S(168 h) with its interval.
        public let within7Days: CrisisResponseReport.KaplanMeierShare
        /// The curve 1 − S(t) read at `curveHours`, for plotting.
        public let curve: [CurvePoint]

        enum CodingKeys: String, CodingKey {
            case members, contacted, medianHours = "median_hours", medianLower = "median_lower", medianUpper = "median_upper"
            case within24Hours = "within_24_hours", within7Days = "within_7_days", curve
        }
    }

    /// The share contacted by a time, read off the Kaplan–Meier curve.
    public struct CurvePoint: Sendable, Equatable, Codable {
        /// Hours since the index check-in.
        public let hours: Double
        /// 1 − S(hours).
        public let estimate: Double
        /// Lower bound (1 − upper band of S).
        public let lower: Double
        /// Upper bound (1 − lower band of S).
        public let upper: Double
        /// Members not yet contacted and still followed just after `hours` (all members at 0).
        public let atRisk: Int

        enum CodingKeys: String, CodingKey { case hours, estimate, lower, upper, atRisk = "at_risk" }
    }

    /// Where the contact curve is read: densely in the first day, then daily to 7 days.
    public static let curveHours: [Double] = [0, 1, 2, 3, 4, 6, 8, 12, 18, 24, 36, 48, 72, 96, 120, 144, 168]

    enum CodingKeys: String, CodingKey {
        case model, dataEnd = "data_end", instruments, endorsingMembers = "endorsing_members", followedMembers = "followed_members"
        case notYetFollowed = "not_yet_followed", byIndexScore = "by_index_score"
        case windows, timeToContact = "time_to_contact"
    }
}

extension RiskItemReport {
    /// The windows the report uses: 24 hours and 7 days.
    public static let windowHours: [(label: String, hours: Double)] = [("24 hours", 24), ("7 days", 168)]

    /// Analyses the risk-item channel in `store` against alerts of `model` (default `crisis`). A store with no
    /// check-in reporting the item gives a report with no endorsing members (not an error: the item is optional).
    ///
    /// - Throws: `StoreError` for database failures; `StatsError` underneath.
    public static func analyse(store: any EventSource, model: String = "crisis", instruments: InstrumentCatalog = InstrumentCatalog()) throws -> RiskItemReport {
        try analyse(store.riskItemData(model: model), model: model, instruments: instruments)
    }

    /// As `analyse(store:model:)`, on data already read.
    public static func analyse(_ data: RiskItemData, model: String, instruments: InstrumentCatalog = InstrumentCatalog()) throws -> RiskItemReport {
        let hour = 3_600_000_000.0
        // Index check-in: each member's first endorsement (the data come ordered by member, time, instrument).
        var index: [RiskItemData.Endorsement] = []
        for e in data.endorsements where index.last?.member != e.member { index.append(e) }
        var messagesBy: [String: [RiskItemData.Message]] = [:]
        for m in data.messages { messagesBy[m.member, default: []].append(m) }
        var alertsBy: [String: [RiskItemData.Alert]] = [:]
        var alertMember: [String: String] = [:]
        for a in data.alerts { alertsBy[a.member, default: []].append(a); alertMember[a.id] = a.member }
        var contactsBy: [String: [Int64]] = [:]
        for r in data.responses { if let m = alertMember[r.alert] { contactsBy[m, default: []].append(r.ts) } }

        let followUp = Int64((windowHours.map(\.hours).max() ?? 0) * hour)
        let followed = index.filter { $0.ts + followUp <= data.dataEnd }
        let windows = windowHours.map { label, hours -> WindowRow in
            let width = Int64(hours * hour)
            var alerted = 0, contacted = 0, posted = 0, caught = 0
            for e in followed {
                let end = e.ts + width
                let inWindow = { (ts: Int64) in ts >= e.ts && ts <= end }
                let alerts = (alertsBy[e.member] ?? []).filter { inWindow($0.ts) }
                if !alerts.isEmpty { alerted += 1 }
                if (contactsBy[e.member] ?? []).contains(where: inWindow) { contacted += 1 }
                let messages = Set((messagesBy[e.member] ?? []).filter { inWindow($0.ts) }.map(\.id))
                if !messages.isEmpty {
                    posted += 1
                    if (alertsBy[e.member] ?? []).contains(where: { messages.contains($0.message) }) { caught += 1 }
                }
            }
            return WindowRow(window: label, hours: hours, alerted: Share(alerted, of: followed.count), contacted: Share(contacted, of: followed.count),
                             posted: Share(posted, of: followed.count), sensitivity: Share(caught, of: posted))
        }

        var timeToContact: TimeToContact? = nil
        if !index.isEmpty {
            var times: [Double] = [], events: [Bool] = []
            for e in index {
                let first = (contactsBy[e.member] ?? []).filter { $0 >= e.ts }.min()
                times.append(Double((first ?? max(e.ts, data.dataEnd)) - e.ts) / hour)
                events.append(first != nil)
            }
            let km = try KaplanMeier(times: times, events: events)
            func within(_ hours: Double) -> CrisisResponseReport.KaplanMeierShare { .init(km, at: hours, minutesPerUnit: 60) }
            let curve = curveHours.map { h -> CurvePoint in
                let w = within(h)
                return CurvePoint(hours: h, estimate: w.estimate, lower: w.lower ?? 0, upper: w.upper ?? 0,
                                  atRisk: h == 0 ? index.count : (km.steps.first { $0.time > h }?.atRisk ?? 0))
            }
            timeToContact = TimeToContact(members: index.count, contacted: events.filter { $0 }.count, medianHours: km.median,
                                          medianLower: km.medianLower, medianUpper: km.medianUpper,
                                          within24Hours: within(24), within7Days: within(168), curve: curve)
        }

        var endorsedCheckins: [String: Int] = [:], endorsingMembers: [String: Set<String>] = [:]
        for e in data.endorsements {
            endorsedCheckins[e.instrument, default: 0] += 1
            endorsingMembers[e.instrument, default: []].insert(e.member)
        }
        let rows = instruments.all.compactMap { i -> InstrumentRow? in
            guard let item = i.riskItem else { return nil }
            return InstrumentRow(instrument: i.name, item: item.label, maximum: item.maximum, reported: data.reportedByInstrument[i.name] ?? 0,
                                 endorsed: endorsedCheckins[i.name] ?? 0, members: endorsingMembers[i.name]?.count ?? 0)
        }
        var byScore: [Int: Int] = [:]
        for e in followed { byScore[e.item, default: 0] += 1 }
        let topScore = max(byScore.keys.max() ?? 0, rows.filter { $0.reported > 0 }.map(\.maximum).max() ?? 0)
        return RiskItemReport(model: model, dataEnd: Timestamp(microseconds: data.dataEnd).rfc3339, instruments: rows,
                              endorsingMembers: index.count, followedMembers: followed.count, notYetFollowed: index.count - followed.count,
                              byIndexScore: topScore == 0 ? [] : (1...topScore).map { ScoreRow(score: $0, members: byScore[$0] ?? 0) },
                              windows: windows, timeToContact: timeToContact)
    }
}
