/// A test of the difference between two AUCs.
public struct AUCComparison: Sendable, Equatable, Codable {
    /// AUC of the first and second score.
    public let aucA: Double
    /// AUC of the second score.
    public let aucB: Double
    /// aucA − aucB.
    public var difference: Double { aucA - aucB }
    /// Standard error of the difference.
    public let standardError: Double
    /// z = difference / standardError.
    public let z: Double
    /// Two-sided p-value: 2·Φ(−|z|) for the paired test; 2·P(T > |z|) with `degreesOfFreedom` for the
    /// unpaired one.
    public let pValue: Double
    /// Welch–Satterthwaite degrees of freedom of the unpaired test (nil for the paired test).
    public let degreesOfFreedom: Double?
    /// Interval for the difference: difference ± z_{level}·SE.
    public let interval: ConfidenceInterval
    /// Whether the two AUCs were computed on the same cases (paired test).
    public let paired: Bool
}

extension Discrimination {
    /// DeLong's test for two correlated AUCs: two scores (e.g. two model versions)
    /// on the same cases. Var(A−B) = Var(A) + Var(B) − 2·Cov(A, B), with
    /// Cov = Cov(V10ᴬ, V10ᴮ)/m + Cov(V01ᴬ, V01ᴮ)/n (n − 1 denominators), as pROC's
    /// `roc.test(method = "delong", paired = TRUE)`.
    ///
    /// - Throws: `StatsError` for mismatched lengths, one class, non-finite scores, or a zero variance of the
    ///   difference (identical scores), for which no test exists.
    public static func compareCorrelated(scoresA: [Double], scoresB: [Double], labels: [Bool], level: Double = 0.95) throws(StatsError) -> AUCComparison {
        let name = "paired DeLong test"
        try Validate.sameLength(scoresA.count, labels.count, name)
        try Validate.sameLength(scoresB.count, labels.count, name)
        try Validate.finite(scoresA, name)
        try Validate.finite(scoresB, name)
        try Validate.twoClasses(labels, name)
        let a = DeLongComponents(scores: scoresA, labels: labels)
        let b = DeLongComponents(scores: scoresB, labels: labels)
        let cov = a.covariance(with: b)
        let variance = a.variance + b.variance - 2 * cov
        return try comparison(a.auc, b.auc, variance: variance, paired: true, degreesOfFreedom: nil, level: level, name)
    }

    /// Test for two AUCs from independent samples: D = (A − B)/√(Var(A) + Var(B)), referred to a t
    /// distribution with df = (V_A + V_B)²/(V_A²/(N_A − 1) + V_B²/(N_B − 1)), N = cases + controls, as pROC's
    /// `roc.test(method = "delong", paired = FALSE)` does.
    public static func compareIndependent(scoresA: [Double], labelsA: [Bool], scoresB: [Double], labelsB: [Bool], level: Double = 0.95) throws(StatsError) -> AUCComparison {
        let name = "unpaired DeLong test"
        let a = try auc(scores: scoresA, labels: labelsA)
        let b = try auc(scores: scoresB, labels: labelsB)
        let df = (a.variance + b.variance) * (a.variance + b.variance)
            / (a.variance * a.variance / Double(scoresA.count - 1) + b.variance * b.variance / Double(scoresB.count - 1))
        return try comparison(a.auc, b.auc, variance: a.variance + b.variance, paired: false, degreesOfFreedom: df, level: level, name)
    }

    private static func comparison(_ a: Double, _ b: Double, variance: Double, paired: Bool, degreesOfFreedom df: Double?,
                                   level: Double, _ name: String) throws(StatsError) -> AUCComparison {
        try Validate.level(level, name)
        guard variance > 0, variance.isFinite else { throw StatsError(name, .allTied) }
        let se = variance.squareRoot()
        let z = (a - b) / se
        let zl = df.map { Distribution.tQuantile(1 - (1 - level) / 2, df: $0) } ?? Distribution.zForLevel(level)
        let p = df.map { Distribution.twoSidedTP(z, df: $0) } ?? Distribution.twoSidedNormalP(z)
        return AUCComparison(aucA: a, aucB: b, standardError: se, z: z, pValue: p, degreesOfFreedom: df,
                             interval: ConfidenceInterval(lower: a - b - zl * se, upper: a - b + zl * se, level: level), paired: paired)
    }
}
