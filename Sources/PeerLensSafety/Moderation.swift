import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Moderation evaluation (issue 4, `peerlens moderation`): what each moderation layer does, how often its
/// actions are appealed and overturned, how fast it acts, and whether members re-offend after restorative
/// (educate) versus punitive (warn, suspend) actions.
public struct ModerationReport: Sendable, Equatable, Codable {
    /// Moderation actions analysed and messages in the store (the denominator of action rates).
    public let actions: Int
    /// Messages in the store.
    public let messages: Int
    /// The model whose scores band the overturned automatic actions, and its version.
    public let model: String
    /// The version used for score bands (nil when the model has no scores).
    public let version: String?
    /// Per layer: actions, rate per 1,000 messages, appeals, overturns and time to action.
    public let layers: [LayerRow]
    /// Overturned automatic actions by model score band: a lower bound on the share of actions in the band
    /// that were false positives (not every wrongly actioned member appeals).
    public let overturnedByScoreBand: [BandRow]
    /// Re-offence within the window after educate, warn and suspend.
    public let reoffence: [ReoffenceRow]
    /// Chi-squared test that the re-offence share is the same after each action (nil when undefined).
    public let reoffenceTest: ContingencyTestResult?
    /// The re-offence window, in days.
    public let reoffenceWindowDays: Int
    /// Index actions left out because their window runs past the end of the data.
    public let reoffenceCensored: Int
    /// Trigger-content actions in eating-disorder spaces, reported on their own.
    public let triggerContent: TriggerContentRow

    /// One moderation layer.
    public struct LayerRow: Sendable, Equatable, Codable {
        /// `automatic`, `peer`, `professional`, `community`.
        public let layer: String
        /// Actions by this layer (the real count: disclosure control is the document policy's).
        public let actions: Int
        /// Actions per 1,000 messages.
        public let perThousandMessages: Double?
        /// Actions by kind (hide, warn, …).
        public let byAction: [String: Int]
        /// Appealed actions as a share of actions.
        public let appealed: Share
        /// Overturned appeals as a share of appeals.
        public let overturned: Share
        /// Median and 90th percentile minutes from message to action (actions on messages only).
        public let medianMinutesToAction: Double?
        /// 90th percentile minutes from message to action.
        public let p90MinutesToAction: Double?

        enum CodingKeys: String, CodingKey {
            case layer, actions, perThousandMessages = "per_thousand_messages", byAction = "by_action"
            case appealed, overturned, medianMinutesToAction = "median_minutes_to_action", p90MinutesToAction = "p90_minutes_to_action"
        }
    }

    /// Overturned automatic actions in one score band.
    public struct BandRow: Sendable, Equatable, Codable {
        /// Band bounds: lower ≤ score < upper (the last band includes 1).
        public let lower: Double
        /// Upper bound of the band.
        public let upper: Double
        /// Overturned automatic actions as a share of automatic actions in the band (the FPR lower bound).
        public let overturned: Share
    }

    /// Re-offence after one kind of action.
    public struct ReoffenceRow: Sendable, Equatable, Codable {
        /// `educate`, `warn` or `suspend`.
        public let action: String
        /// Members moderated again within the window, as a share of index actions.
        public let reoffended: Share
    }

    /// Trigger-content moderation in eating-disorder spaces.
    public struct TriggerContentRow: Sendable, Equatable, Codable {
        /// The spaces counted as eating-disorder spaces.
        public let spaces: [String]
        /// Trigger-content actions there.
        public let actions: Int
        /// Share of them taken by the automatic layer.
        public let automatic: Share
        /// Appealed share and overturned share of appeals.
        public let appealed: Share
        /// Overturned appeals as a share of appeals.
        public let overturned: Share
    }

    enum CodingKeys: String, CodingKey {
        case actions, messages, model, version, layers, overturnedByScoreBand = "overturned_by_score_band", reoffence
        case reoffenceTest = "reoffence_test", reoffenceWindowDays = "reoffence_window_days", reoffenceCensored = "reoffence_censored"
        case triggerContent = "trigger_content"
    }
}

/// Options of the moderation report.
public struct ModerationOptions: Sendable {
    /// The model whose scores band overturned automatic actions. A model other than the default that has no
    /// scores in the store is refused (`UnknownValueError`); the default without scores gives no score bands.
    public var model = ModerationOptions.defaultModel
    /// Re-offence window in days.
    public var windowDays = 30
    /// Spaces counted as eating-disorder spaces. Spaces other than the default must have messages in the store
    /// (`UnknownValueError` otherwise).
    public var eatingDisorderSpaces = ModerationOptions.defaultEatingDisorderSpaces
    /// Options with the given choices; each left out keeps its default.
    public init(model: String = ModerationOptions.defaultModel, windowDays: Int = 30,
                eatingDisorderSpaces: [String] = ModerationOptions.defaultEatingDisorderSpaces) {
        (self.model, self.windowDays, self.eatingDisorderSpaces) = (model, windowDays, eatingDisorderSpaces)
    }

    /// The default `model`.
    public static let defaultModel = "toxicity"
    /// The default `eatingDisorderSpaces`.
    public static let defaultEatingDisorderSpaces = ["eating_disorder"]
}

extension ModerationReport {
    /// Analyses the moderation and appeal events in `store`.
    ///
    /// Re-offence: an *index action* is an educate, warn or suspend action on member m at time t with no
    /// moderation of m in the preceding window; m re-offended if any moderation of m falls in (t, t + window].
    /// Index actions whose window ends after the data end are left out (censored) and counted. The member
    /// is the moderation's `member`, else the author of its message. Shares carry Wilson intervals; the
    /// difference between actions is tested with Pearson's χ² (no continuity correction).
    ///
    /// - Throws: `UnknownValueError` for a model or space (other than the defaults) the store does not hold;
    ///   `AnalysisError` when the store has no moderation events; `StoreError` underneath.
    public static func analyse(store: any EventSource, options: ModerationOptions = ModerationOptions()) throws -> ModerationReport {
        typealias Action = StoredModerationAction
        let data = try store.moderationData(model: options.model)
        let (actions, messages, version, dataEnd) = (data.actions, data.messages, data.version, data.dataEnd)
        if version == nil, options.model != ModerationOptions.defaultModel {
            let models = try store.scoredModels()
            if !models.isEmpty {
                try UnknownValueError.check(option: "--model", value: options.model, known: models, knownDescription: "models with scores in the store")
            }
        }
        if options.eatingDisorderSpaces != ModerationOptions.defaultEatingDisorderSpaces {
            let spaces = try store.spaces()
            for space in options.eatingDisorderSpaces where !spaces.isEmpty {
                try UnknownValueError.check(option: "--eating-disorder-space", value: space, known: spaces, knownDescription: "spaces with messages in the store")
            }
        }
        guard !actions.isEmpty else { throw AnalysisError("no moderation events in the store: nothing to analyse") }
        func quantile(_ values: [Double], _ q: Double) -> Double? {
            guard !values.isEmpty else { return nil }
            return RiskEvaluation.quantile(values.sorted(), q)
        }
        func appealShares(_ list: [Action]) -> (Share, Share) {
            let appealed = list.filter { $0.appeal != nil }
            return (Share(appealed.count, of: list.count), Share(appealed.filter { $0.appeal == "overturned" }.count, of: appealed.count))
        }
        let byLayer = Dictionary(grouping: actions, by: \.layer)
        let layers = ModerationLayer.allCases.map { layer -> LayerRow in
            let list = byLayer[layer.rawValue] ?? []
            var kinds: [String: Int] = [:]
            for a in list { kinds[a.action, default: 0] += 1 }
            let minutes = list.compactMap { a in a.messageTs.map { Double(a.ts - $0) / 60_000_000 } }
            let (appealed, overturned) = appealShares(list)
            return LayerRow(layer: layer.rawValue, actions: list.count,
                            perThousandMessages: messages > 0 ? 1000 * Double(list.count) / Double(messages) : nil,
                            byAction: kinds, appealed: appealed, overturned: overturned,
                            medianMinutesToAction: quantile(minutes, 0.5), p90MinutesToAction: quantile(minutes, 0.9))
        }
        var bands: [BandRow] = []
        for b in 0..<10 {
            let lower = Double(b) / 10, upper = Double(b + 1) / 10
            let list = actions.filter { a in
                guard a.layer == "automatic", let s = a.score else { return false }
                return s >= lower && (s < upper || (b == 9 && s <= 1))
            }
            guard !list.isEmpty else { continue }
            bands.append(BandRow(lower: lower, upper: upper, overturned: Share(list.filter { $0.appeal == "overturned" }.count, of: list.count)))
        }
        // Re-offence.
        let window = Int64(options.windowDays) * 86_400_000_000
        var byMember: [String: [Action]] = [:]
        for a in actions { if let m = a.member { byMember[m, default: []].append(a) } }
        let restorative = ["educate", "warn", "suspend"]
        var counts: [String: (index: Int, again: Int)] = [:]
        var censored = 0
        for list in byMember.values {
            for (i, a) in list.enumerated() where restorative.contains(a.action) {
                if i > 0, list[..<i].contains(where: { $0.ts > a.ts - window && $0.ts < a.ts }) { continue }
                guard a.ts + window <= dataEnd else { censored += 1; continue }
                let again = list[(i + 1)...].contains { $0.ts > a.ts && $0.ts <= a.ts + window }
                var c = counts[a.action] ?? (0, 0)
                c.index += 1
                if again { c.again += 1 }
                counts[a.action] = c
            }
        }
        let reoffence = restorative.map { action in
            ReoffenceRow(action: action, reoffended: Share(counts[action]?.again ?? 0, of: counts[action]?.index ?? 0))
        }
        let table = restorative.compactMap { a -> [Int]? in
            guard let c = counts[a], c.index > 0 else { return nil }
            return [c.again, c.index - c.again]
        }
        let test = table.count >= 2 ? try? ContingencyTests.chiSquared(table) : nil
        // Trigger content in eating-disorder spaces.
        let trigger = actions.filter { $0.reason == "trigger_content" && $0.space.map(options.eatingDisorderSpaces.contains) == true }
        let (tAppealed, tOverturned) = appealShares(trigger)
        let triggerRow = TriggerContentRow(spaces: options.eatingDisorderSpaces, actions: trigger.count,
                                           automatic: Share(trigger.filter { $0.layer == "automatic" }.count, of: trigger.count),
                                           appealed: tAppealed, overturned: tOverturned)
        return ModerationReport(actions: actions.count, messages: messages, model: options.model, version: version, layers: layers,
                                overturnedByScoreBand: bands, reoffence: reoffence, reoffenceTest: test, reoffenceWindowDays: options.windowDays,
                                reoffenceCensored: censored, triggerContent: triggerRow)
    }
}
