import PeerLensStats

/// Pieces shared by the risk analyses.
enum RiskSupport {
    /// Bootstrap units: one per case, or one per member holding all that member's cases.
    static func units(members: [String], cluster: RiskEvaluationOptions.Cluster) -> [[Int]] {
        guard cluster == .member else { return members.indices.map { [$0] } }
        var index: [String: Int] = [:]
        var units: [[Int]] = []
        for (i, m) in members.enumerated() {
            if let u = index[m] { units[u].append(i) } else { index[m] = units.count; units.append([i]) }
        }
        return units
    }

    /// The operating threshold: the one given as an option (`option`), else the one the version's alerts used
    /// (`alerts`), else none.
    static func operatingThreshold(option: Double?, alerts: Double?) -> (threshold: Double?, source: String?) {
        if let option { return (option, "option") }
        if let alerts { return (alerts, "alerts") }
        return (nil, nil)
    }

    /// Dense integer ids for labels, in first-seen order (e.g. members as clusters).
    static func denseIDs(_ labels: [String]) -> [Int] {
        var ids: [String: Int] = [:]
        return labels.map { label in
            if let id = ids[label] { return id }
            ids[label] = ids.count
            return ids.count - 1
        }
    }

    /// (Weighted) confusion counts of "score ≥ threshold" against the labels.
    static func confusion(scores: [Double], labels: [Bool], weights: [Double]?, threshold: Double)
        -> (truePositives: Double, falsePositives: Double, falseNegatives: Double, trueNegatives: Double) {
        var tp = 0.0, fp = 0.0, fn = 0.0, tn = 0.0
        for i in scores.indices {
            let w = weights?[i] ?? 1
            switch (scores[i] >= threshold, labels[i]) {
            case (true, true): tp += w
            case (true, false): fp += w
            case (false, true): fn += w
            case (false, false): tn += w
            }
        }
        return (tp, fp, fn, tn)
    }
}

/// The percentile bootstrap of the risk analyses: resample units (messages, or members with all their
/// reviewed messages) with replacement, recompute the statistics, and read intervals off the draws.
struct UnitBootstrap {
    /// Resampling units (case indices).
    let units: [[Int]]
    /// Replicates, seed and confidence level, as in the options.
    let replicates: Int
    let seed: UInt64
    let level: Double
    /// How the intervals are named in the output.
    let name: String

    init(members: [String], options: RiskEvaluationOptions) {
        units = RiskSupport.units(members: members, cluster: options.cluster)
        replicates = options.replicates
        seed = options.seed
        level = options.level
        name = options.cluster == .member ? "cluster bootstrap percentile (members)" : "bootstrap percentile (messages)"
    }

    /// The draws of each of `count` statistics. `statistics` maps the resampled case indices to the values, or
    /// to nil when the replicate is unusable (e.g. one outcome class); nil and non-finite values are left out.
    func draws(count: Int, _ statistics: ([Int]) -> [Double?]?) -> [[Double]] {
        let rng = RandomSource(seed: seed)
        var draws = [[Double]](repeating: [], count: count)
        let cases = units.reduce(0) { $0 + $1.count }
        for _ in 0..<replicates {
            var idx: [Int] = []
            idx.reserveCapacity(cases)
            for _ in units.indices { idx.append(contentsOf: units[rng.integer(below: units.count)]) }
            guard let values = statistics(idx) else { continue }
            for (k, v) in values.enumerated() { if let v, v.isFinite { draws[k].append(v) } }
        }
        return draws
    }

    /// `value` with the percentile interval of `draws`, or without an interval (`none`) when there is no
    /// value or fewer than half the replicates gave one.
    func estimate(_ value: Double?, draws: [Double]) -> Estimate {
        guard let value, draws.count >= replicates / 2 else { return Estimate(value: value, lower: nil, upper: nil, interval: "none") }
        let sorted = draws.sorted()
        let alpha = 1 - level
        return Estimate(value: value, lower: RiskEvaluation.quantile(sorted, alpha / 2), upper: RiskEvaluation.quantile(sorted, 1 - alpha / 2), interval: name)
    }
}
