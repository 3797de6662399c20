import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Crisis response: what happened after crisis alerts (issue 4, `peerlens crisis`).
///
/// Time to first human response is a time-to-event quantity: alerts nobody has answered by the end of
/// the data are censored there, so the median, the 90th percentile and the shares answered within 5 and
/// 15 minutes come from a Kaplan–Meier curve (Greenwood log intervals), not from answered alerts only
/// (which would flatter the service).
public struct CrisisResponseReport: Sendable, Equatable, Codable {
    /// Alerts analysed and how many got at least one response.
    public let alerts: Int
    /// Alerts with at least one response.
    public let responded: Share
    /// End of the data (latest event time in the store), where unanswered alerts are censored.
    public let dataEnd: String
    /// Kaplan–Meier median minutes to first response, with its interval (nil bounds: not reached).
    public let medianMinutes: Double?
    /// Lower limit of the median's interval.
    public let medianLower: Double?
    /// Upper limit of the median's interval.
    public let medianUpper: Double?
    /// Minutes by which 90 % of alerts had a first response (nil if the curve never gets there).
    public let p90Minutes: Double?
    /// Kaplan–Meier probability of a first response within 5 and 15 minutes, with intervals.
    public let within5Minutes: KaplanMeierShare
    /// As `within5Minutes`, at 15 minutes.
    public let within15Minutes: KaplanMeierShare
    /// First responses by responder role: count and median minutes among those answered by that role.
    public let byRole: [RoleRow]
    /// Alerts by hour of day (UTC) of the alert: count, share answered, median minutes among answered.
    public let byHour: [HourRow]
    /// Outcomes of all responses, each as a share of responses.
    public let outcomes: [OutcomeRow]
    /// Follow-ups recorded as completed, as a share of follow-up events.
    public let followupCompleted: Share
    /// Responder load: responses per responder per ISO week; responder-weeks above `burnoutThreshold`.
    public let responderWeeks: Int
    /// The threshold used.
    public let burnoutThreshold: Int
    /// Responder-weeks above the threshold.
    public let responderWeeksAboveThreshold: Share
    /// The busiest responder-week.
    public let maxResponsesInAWeek: Int

    /// A probability read off the Kaplan–Meier curve (1 − S(t)) with its interval.
    public struct KaplanMeierShare: Sendable, Equatable, Codable {
        /// The time point, in minutes.
        public let minutes: Double
        /// 1 − S(minutes).
        public let estimate: Double
        /// Lower bound (1 − upper band of S).
        public let lower: Double?
        /// Upper bound (1 − lower band of S).
        public let upper: Double?
    }

    /// First responses by one responder role.
    public struct RoleRow: Sendable, Equatable, Codable {
        /// Responder role.
        public let role: String
        /// Alerts whose first response came from this role.
        public let firstResponses: Int
        /// Median minutes to those first responses.
        public let medianMinutes: Double
    }

    /// Alerts raised in one hour of the day.
    public struct HourRow: Sendable, Equatable, Codable {
        /// Hour of day (UTC) of the alert.
        public let hour: Int
        /// Alerts raised in that hour.
        public let alerts: Int
        /// Share of them answered.
        public let answered: Share
        /// Median minutes to first response among the answered ones.
        public let medianMinutesAnswered: Double?
    }

    /// One response outcome.
    public struct OutcomeRow: Sendable, Equatable, Codable {
        /// The outcome.
        public let outcome: String
        /// Share of all responses with this outcome.
        public let share: Share
    }

    enum CodingKeys: String, CodingKey {
        case alerts, responded, dataEnd = "data_end", medianMinutes = "median_minutes", medianLower = "median_lower"
        case medianUpper = "median_upper", p90Minutes = "p90_minutes", within5Minutes = "within_5_minutes"
        case within15Minutes = "within_15_minutes", byRole = "by_role", byHour = "by_hour", outcomes
        case followupCompleted = "followup_completed", responderWeeks = "responder_weeks"
        case burnoutThreshold = "burnout_threshold", responderWeeksAboveThreshold = "responder_weeks_above_threshold"
        case maxResponsesInAWeek = "max_responses_in_a_week"
    }
}

extension CrisisResponseReport {
    /// Analyses crisis alerts in `store`. `model` restricts to one model's alerts (default `crisis`);
    /// `burnoutThreshold` is the number of responses per responder per week above which the load counts as
    /// a burnout risk (default 20).
    ///
    /// - Throws: `UnknownValueError` when `model` has no alerts but other models do; `AnalysisError` when there
    ///   are no alerts; `StoreError` for database failures.
    public static func analyse(store: any EventSource, model: String = "crisis", burnoutThreshold: Int = 20) throws -> CrisisResponseReport {
        let (alerts, responses, followups, dataEnd) = try load(store: store, model: model)
        try requireAlerts(alerts, store: store, model: model)
        let (rows, times, events) = firstResponses(alerts, responses, dataEnd: dataEnd)
        let km = try KaplanMeier(times: times, events: events)
        // KM of "no response yet": S(t); response probability by t = 1 − S(t).
        let p90 = km.steps.first { $0.events > 0 && $0.survival <= 0.1 }?.time
        func median(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let s = values.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        var roleTimes: [String: [Double]] = [:]
        for (row, t) in zip(rows, times) where row.first != nil { roleTimes[row.role!, default: []].append(t) }
        let byRole = roleTimes.keys.sorted().map { RoleRow(role: $0, firstResponses: roleTimes[$0]!.count, medianMinutes: median(roleTimes[$0]!)!) }
        var hours = [[(answered: Bool, minutes: Double)]](repeating: [], count: 24)
        for (row, t) in zip(rows, times) {
            let hour = Int(((row.ts / 3_600_000_000) % 24 + 24) % 24)
            hours[hour].append((row.first != nil, t))
        }
        let byHour = hours.enumerated().compactMap { hour, list -> HourRow? in
            guard !list.isEmpty else { return nil }
            let answered = list.filter(\.answered)
            return HourRow(hour: hour, alerts: list.count, answered: Share(answered.count, of: list.count),
                           medianMinutesAnswered: median(answered.map(\.minutes)))
        }
        var outcomeCounts: [String: Int] = [:]
        for r in responses { outcomeCounts[r.outcome.rawValue, default: 0] += 1 }
        let outcomes = ResponseOutcome.allCases.map { OutcomeRow(outcome: $0.rawValue, share: Share(outcomeCounts[$0.rawValue] ?? 0, of: responses.count)) }
        var weekly: [String: Int] = [:]
        for r in responses {
            let week = Int((r.ts.microseconds / 1_000_000 + 3 * 86_400) / (7 * 86_400)) // Monday-based weeks since the epoch
            weekly["\(r.responder)#\(week)", default: 0] += 1
        }
        return CrisisResponseReport(
            alerts: rows.count, responded: Share(events.filter { $0 }.count, of: rows.count),
            dataEnd: Timestamp(microseconds: dataEnd).rfc3339,
            medianMinutes: km.median, medianLower: km.medianLower, medianUpper: km.medianUpper, p90Minutes: p90,
            within5Minutes: KaplanMeierShare(km, at: 5), within15Minutes: KaplanMeierShare(km, at: 15), byRole: byRole, byHour: byHour, outcomes: outcomes,
            followupCompleted: Share(followups.filter(\.completed).count, of: followups.count),
            responderWeeks: weekly.count, burnoutThreshold: burnoutThreshold,
            responderWeeksAboveThreshold: Share(weekly.values.filter { $0 > burnoutThreshold }.count, of: weekly.count),
            maxResponsesInAWeek: weekly.values.max() ?? 0)
    }

    /// Throws when `model` has no alerts: `UnknownValueError` listing the models that have some, else
    /// `AnalysisError`.
    static func requireAlerts(_ alerts: [AlertRow], store: any EventSource, model: String) throws {
        guard alerts.isEmpty else { return }
        let models = try store.alertedModels()
        if !models.isEmpty {
            try UnknownValueError.check(option: "--model", value: model, known: models, knownDescription: "models with alerts in the store")
        }
        throw AnalysisError("no \(model) alerts in the store: nothing to analyse")
    }

    /// One alert and its first response.
    struct AlertRow { let id: String; let ts: Int64; var first: Int64?; var role: String? }

    /// The model's alerts (by time), every response and follow-up to them, and the data end.
    static func load(store: any EventSource, model: String) throws -> ([AlertRow], [ResponseEvent], [FollowupEvent], Int64) {
        let data = try store.crisisData(model: model)
        return (data.alerts.map { AlertRow(id: $0.id, ts: $0.ts, first: nil, role: nil) }, data.responses, data.followups, data.dataEnd)
    }

    /// Each alert's first response, and the minutes to it: censored at the data end when unanswered
    /// (negative gaps from clock skew count as 0).
    static func firstResponses(_ alerts: [AlertRow], _ responses: [ResponseEvent], dataEnd: Int64) -> ([AlertRow], [Double], [Bool]) {
        let minute = 60_000_000.0
        var byID = Dictionary(uniqueKeysWithValues: alerts.enumerated().map { ($1.id, $0) })
        var rows = alerts
        for r in responses {
            guard let i = byID[r.alert] else { continue }
            let ts = r.ts.microseconds
            if rows[i].first == nil || ts < rows[i].first! { rows[i].first = ts; rows[i].role = r.responderRole.rawValue }
        }
        byID.removeAll()
        let times = rows.map { row in max(0, Double((row.first ?? dataEnd) - row.ts) / minute) }
        return (rows, times, rows.map { $0.first != nil })
    }

    /// The Kaplan–Meier curve of minutes from a `model` alert to its first human response — the curve behind
    /// `analyse`'s median, 90th percentile and within-5/15-minute shares (same censoring at the data end,
    /// Greenwood log intervals) — for plotting.
    ///
    /// - Throws: as `analyse`; `StatsError` underneath.
    public static func timeToFirstResponse(store: any EventSource, model: String = "crisis") throws -> KaplanMeier {
        let (alerts, responses, _, dataEnd) = try load(store: store, model: model)
        try requireAlerts(alerts, store: store, model: model)
        let (_, times, events) = firstResponses(alerts, responses, dataEnd: dataEnd)
        return try KaplanMeier(times: times, events: events)
    }
}

extension CrisisResponseReport.KaplanMeierShare {
    /// 1 − S(t) read off `km` at `t` (in the curve's time unit): the last step at or before `t` (0 before the first
    /// step), with the band of S turned over (lower = 1 − upper band, upper = 1 − lower band; 0 where S has none).
    /// `minutes` is `t × minutesPerUnit` (60 for a curve in hours).
    init(_ km: KaplanMeier, at t: Double, minutesPerUnit: Double = 1) {
        let step = km.steps.last { $0.time <= t }
        self.init(minutes: t * minutesPerUnit, estimate: 1 - (step?.survival ?? 1),
                  lower: step.flatMap { $0.upper.map { 1 - $0 } } ?? 0, upper: step.flatMap { $0.lower.map { 1 - $0 } } ?? 0)
    }
}
