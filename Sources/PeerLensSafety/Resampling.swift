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
