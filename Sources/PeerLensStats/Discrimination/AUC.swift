/// Area under the ROC curve with its DeLong confidence interval.
public struct AUCResult: Sendable, Equatable, Codable {
    /// AUC = P(score of a random positive > score of a random negative) + ½·P(tie)
    /// (the Mann–Whitney statistic divided by m·n).
    public let auc: Double
    /// DeLong variance of the AUC.
    public let variance: Double
    /// AUC ± z·√variance, clipped to [0, 1] (as pROC's `ci.auc(method = "delong")`).
    public let interval: ConfidenceInterval
    /// Number of positives (cases) and negatives (controls).
    public let positives: Int
    /// Number (or weight) of negatives (controls).
    public let negatives: Int
}

/// The DeLong structural components of one score (Sun & Xu 2014), kept per
/// case so that correlated AUCs can be compared.
struct DeLongComponents {
    let auc: Double
    /// For each case (input order): V10 if it is a positive, V01 if a negative.
    let component: [Double]
    let labels: [Bool]
    let positives: Int
    let negatives: Int
    /// Sample variances (n − 1) of V10 over positives and V01 over negatives.
    let s10: Double
    let s01: Double

    var variance: Double { s10 / Double(positives) + s01 / Double(negatives) }

    /// Fast DeLong (Sun & Xu 2014, IEEE Signal Processing Letters 21:1389). With the cases sorted once,
    /// for a tie group holding p_g positives and n_g negatives, preceded by P₀ positives and N₀ negatives:
    /// every positive in it has V10 = (N₀ + n_g/2)/n and every negative V01 = 1 − (P₀ + p_g/2)/m.
    /// AUC = mean of V10. O(N) after the sort.
    init(scores: [Double], labels: [Bool], order: ScoreOrder? = nil) {
        let order = order ?? ScoreOrder(scores)
        var component = [Double](repeating: 0, count: scores.count)
        let m = labels.lazy.filter { $0 }.count
        let n = labels.count - m
        var seenPositives = 0, seenNegatives = 0
        order.forEachTieGroup { start, end in
            var pg = 0
            for k in start..<end where labels[Int(order.indices[k])] { pg += 1 }
            let ng = end - start - pg
            let v10 = (Double(seenNegatives) + Double(ng) / 2) / Double(n)
            let v01 = 1 - (Double(seenPositives) + Double(pg) / 2) / Double(m)
            for k in start..<end {
                let c = Int(order.indices[k])
                component[c] = labels[c] ? v10 : v01
            }
            seenPositives += pg
            seenNegatives += ng
        }
        var sum10 = 0.0, sum01 = 0.0
        for c in component.indices { if labels[c] { sum10 += component[c] } else { sum01 += component[c] } }
        let mean10 = sum10 / Double(m), mean01 = sum01 / Double(n)
        var ss10 = 0.0, ss01 = 0.0
        for c in component.indices {
            if labels[c] { ss10 += (component[c] - mean10) * (component[c] - mean10) } else { ss01 += (component[c] - mean01) * (component[c] - mean01) }
        }
        self.auc = mean10
        self.component = component
        self.labels = labels
        self.positives = m
        self.negatives = n
        self.s10 = m > 1 ? ss10 / Double(m - 1) : 0
        self.s01 = n > 1 ? ss01 / Double(n - 1) : 0
    }

    /// Cov(A, B) of two scores' AUCs on the same cases: Cov(V10ᴬ, V10ᴮ)/m + Cov(V01ᴬ, V01ᴮ)/n.
    func covariance(with other: DeLongComponents) -> Double {
        var mA10 = 0.0, mB10 = 0.0, mA01 = 0.0, mB01 = 0.0
        for c in component.indices {
            if labels[c] { mA10 += component[c]; mB10 += other.component[c] } else { mA01 += component[c]; mB01 += other.component[c] }
        }
        mA10 /= Double(positives); mB10 /= Double(positives); mA01 /= Double(negatives); mB01 /= Double(negatives)
        var c10 = 0.0, c01 = 0.0
        for c in component.indices {
            if labels[c] { c10 += (component[c] - mA10) * (other.component[c] - mB10) } else { c01 += (component[c] - mA01) * (other.component[c] - mB01) }
        }
        let cov10 = positives > 1 ? c10 / Double(positives - 1) : 0
        let cov01 = negatives > 1 ? c01 / Double(negatives - 1) : 0
        return cov10 / Double(positives) + cov01 / Double(negatives)
    }
}

/// Discrimination of a score for a binary outcome.
public enum Discrimination {
    /// AUC with a DeLong interval (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837).
    /// Higher scores are taken to indicate positives. Variance uses n − 1 denominators
    /// for the structural components, as pROC does.
    ///
    /// Edge cases: all scores tied gives AUC 0.5 with variance 0 (the interval collapses to 0.5);
    /// a single positive or negative gives variance 0 for that component.
    ///
    /// - Throws: `StatsError` for empty input, a single class, mismatched lengths, or non-finite scores.
    public static func auc(scores: [Double], labels: [Bool], level: Double = 0.95) throws(StatsError) -> AUCResult {
        try auc(scores: scores, labels: labels, level: level, order: nil)
    }

    /// `auc(scores:labels:level:)` reusing the order of `scores` when the caller has it (one sort serves the
    /// statistics of an evaluation).
    package static func auc(scores: [Double], labels: [Bool], level: Double = 0.95, order: ScoreOrder?) throws(StatsError) -> AUCResult {
        let name = "AUC (DeLong)"
        try Validate.sameLength(scores.count, labels.count, name)
        try Validate.finite(scores, name)
        try Validate.twoClasses(labels, name)
        try Validate.level(level, name)
        if let order { precondition(order.indices.count == scores.count, "the order is of other scores") }
        let c = DeLongComponents(scores: scores, labels: labels, order: order)
        let z = Distribution.zForLevel(level)
        let se = c.variance.squareRoot()
        return AUCResult(auc: c.auc, variance: c.variance,
                         interval: ConfidenceInterval(lower: max(0, c.auc - z * se), upper: min(1, c.auc + z * se), level: level),
                         positives: c.positives, negatives: c.negatives)
    }
}

extension Discrimination {
    /// Weighted AUC with a design-based (linearised) interval, for review samples with inverse-probability
    /// weights and/or messages clustered within members.
    ///
    /// The estimate is the weighted Mann–Whitney statistic θ̂ = Σᵢ Σⱼ wᵢwⱼ hᵢⱼ / (W₊W₋) over positives i and
    /// negatives j, hᵢⱼ = 1 if sᵢ > sⱼ, ½ if tied (scikit-learn's `roc_auc_score(sample_weight=)`). Its
    /// linearised values are zₖ = wₖ(Vₖ − θ̂)/W₊ for a positive and wₖ(Vₖ − θ̂)/W₋ for a negative, where Vₖ
    /// is the weighted placement value (the share of the other class's weight that case k outranks, ties ½) —
    /// the derivative of θ̂ with respect to wₖ, times wₖ. The variance is `Linearisation.variance` over
    /// `clusters`. With unit weights and no clusters it equals the DeLong variance up to finite-sample factors:
    /// V̂ = N/(N − 1)·[(n₊ − 1)/n₊ · S₁₀/n₊ + (n₋ − 1)/n₋ · S₀₁/n₋] (DeLong et al. 1988; for clustered data
    /// compare Obuchowski 1997, Biometrics 53:567). The interval is Wald, clipped to [0, 1]. Higher scores
    /// indicate positives.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, non-finite scores, invalid weights, a class with
    ///   no weight, fewer than two clusters, or a level outside (0, 1).
    public static func linearisedAUC(scores: [Double], labels: [Bool], weights: [Double]? = nil, clusters: [Int]? = nil,
                                     level: Double = 0.95) throws(StatsError) -> LinearisedEstimate {
        let name = "AUC (linearised)"
        try Validate.sameLength(scores.count, labels.count, name)
        try Validate.finite(scores, name)
        try Validate.twoClasses(labels, name)
        try Validate.weights(weights, count: scores.count, name)
        try Validate.level(level, name)
        var positiveWeight = 0.0, negativeWeight = 0.0
        for i in scores.indices {
            let w = weights?[i] ?? 1
            if labels[i] { positiveWeight += w } else { negativeWeight += w }
        }
        guard positiveWeight > 0, negativeWeight > 0 else { throw StatsError(name, .singleClass) }
        // Placement values from one ascending pass over tie groups.
        let order = ScoreOrder(scores)
        var placement = [Double](repeating: 0, count: scores.count)
        var negativesBelow = 0.0, positivesBelow = 0.0
        order.forEachTieGroup { start, end in
            var groupPositive = 0.0, groupNegative = 0.0
            for k in start..<end {
                let i = Int(order.indices[k])
                if labels[i] { groupPositive += weights?[i] ?? 1 } else { groupNegative += weights?[i] ?? 1 }
            }
            let positivesAbove = positiveWeight - positivesBelow - groupPositive
            for k in start..<end {
                let i = Int(order.indices[k])
                placement[i] = labels[i] ? (negativesBelow + groupNegative / 2) / negativeWeight
                                         : (positivesAbove + groupPositive / 2) / positiveWeight
            }
            negativesBelow += groupNegative
            positivesBelow += groupPositive
        }
        var weightedPlacement = 0.0
        for i in scores.indices where labels[i] { weightedPlacement += (weights?[i] ?? 1) * placement[i] }
        let auc = weightedPlacement / positiveWeight
        let z = scores.indices.map { i -> Double in
            let w = weights?[i] ?? 1
            return w * (placement[i] - auc) / (labels[i] ? positiveWeight : negativeWeight)
        }
        return try Linearisation.estimate(auc, linearised: z, clusters: clusters, level: level, bounds: 0...1, name)
    }
}
