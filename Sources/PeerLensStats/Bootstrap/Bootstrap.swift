/// How a bootstrap interval is formed from the replicates.
public enum BootstrapMethod: String, Sendable, Codable {
    /// Percentile interval: the α/2 and 1 − α/2 quantiles of the replicates.
    case percentile
    /// Bias-corrected and accelerated (Efron 1987): percentile levels adjusted by the bias
    /// z₀ = Φ⁻¹(share of replicates below the estimate) and the jackknife acceleration a.
    case bca
}

/// A bootstrap estimate and interval.
public struct BootstrapResult: Sendable, Equatable, Codable {
    /// The statistic on the original sample.
    public let estimate: Double
    /// The interval.
    public let interval: ConfidenceInterval
    /// How the interval was formed.
    public let method: BootstrapMethod
    /// Replicates that gave a finite statistic.
    public let replicates: Int
    /// Replicates whose statistic threw or was not finite (excluded).
    public let failedReplicates: Int
    /// The seed of the GSL MT19937 stream used: same seed, same interval.
    public let seed: UInt64
}

/// Nonparametric bootstrap over units (cases, messages, members), seeded and reproducible.
public enum Bootstrap {
    /// Bootstrap interval of `statistic` over resampled units. Resamples `sample` with replacement
    /// (within each stratum when `strata` is given, keeping stratum sizes), evaluates the statistic on
    /// each replicate, and forms a percentile or BCa interval. Quantiles use linear interpolation between
    /// order statistics (R's type 7).
    ///
    /// A replicate whose statistic throws or is not finite (e.g. a resample with one class) is skipped and
    /// counted in `failedReplicates`; if more than 10 % fail, the interval is refused.
    ///
    /// - Throws: `StatsError` for an empty sample, fewer than 100 replicates, a bad level, a statistic that
    ///   fails on the original sample, or too many failed replicates.
    public static func interval<Sample>(sample: [Sample], strata: [Int]? = nil, replicates: Int = 2000, level: Double = 0.95,
                                        method: BootstrapMethod = .bca, seed: UInt64,
                                        statistic: ([Sample]) throws -> Double) throws(StatsError) -> BootstrapResult {
        try intervalByIndex(count: sample.count, strata: strata, replicates: replicates, level: level, method: method, seed: seed) { idx in
            try statistic(idx.map { sample[$0] })
        }
    }

    /// As `interval(sample:…)`, but the statistic receives the resampled indices (0..<count), so large
    /// samples need not be copied.
    public static func intervalByIndex(count: Int, strata: [Int]? = nil, replicates: Int = 2000, level: Double = 0.95,
                                       method: BootstrapMethod = .bca, seed: UInt64,
                                       statistic: ([Int]) throws -> Double) throws(StatsError) -> BootstrapResult {
        let name = "bootstrap interval"
        guard count > 0 else { throw StatsError(name, .emptyInput) }
        guard replicates >= 100 else { throw StatsError(name, .invalidArgument("use at least 100 replicates")) }
        try Validate.level(level, name)
        if let strata { try Validate.sameLength(count, strata.count, name) }
        let all = Array(0..<count)
        let estimate: Double
        do { estimate = try statistic(all) } catch { throw StatsError(name, .invalidArgument("the statistic fails on the original sample: \(error)")) }
        guard estimate.isFinite else { throw StatsError(name, .nonFiniteValue) }

        // Units grouped by stratum, in first-appearance order (deterministic).
        var groups: [[Int]] = []
        if let strata {
            var position: [Int: Int] = [:]
            for i in 0..<count {
                if let g = position[strata[i]] { groups[g].append(i) } else { position[strata[i]] = groups.count; groups.append([i]) }
            }
        } else {
            groups = [all]
        }
        let rng = RandomSource(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(replicates)
        var failed = 0
        var resample = [Int](repeating: 0, count: count)
        for _ in 0..<replicates {
            var k = 0
            for group in groups {
                for _ in 0..<group.count { resample[k] = group[rng.integer(below: group.count)]; k += 1 }
            }
            if let v = try? statistic(resample), v.isFinite { values.append(v) } else { failed += 1 }
        }
        guard failed * 10 <= replicates else {
            throw StatsError(name, .invalidArgument("\(failed) of \(replicates) replicates failed (too few events to resample?)"))
        }
        values.sort()
        let alpha = 1 - level
        var lowerLevel = alpha / 2, upperLevel = 1 - alpha / 2
        if method == .bca {
            let below = Double(values.lazy.filter { $0 < estimate }.count) + 0.5 * Double(values.lazy.filter { $0 == estimate }.count)
            let share = min(max(below / Double(values.count), 1 / Double(values.count + 1)), Double(values.count) / Double(values.count + 1))
            let z0 = Distribution.normalQuantile(share)
            let a = try acceleration(count: count, groups: groups, statistic: statistic)
            func adjusted(_ q: Double) -> Double {
                let zq = Distribution.normalQuantile(q)
                return Distribution.normalCDF(z0 + (z0 + zq) / (1 - a * (z0 + zq)))
            }
            lowerLevel = adjusted(alpha / 2)
            upperLevel = adjusted(1 - alpha / 2)
        }
        return BootstrapResult(estimate: estimate,
                               interval: ConfidenceInterval(lower: quantile(values, lowerLevel), upper: quantile(values, upperLevel), level: level),
                               method: method, replicates: values.count, failedReplicates: failed, seed: seed)
    }

    /// Jackknife acceleration a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^{3/2}). For more than 200 units the
    /// delete-a-group jackknife over 200 deterministic groups (unit i in group i mod 200, within strata
    /// order) keeps the cost at 200 evaluations.
    static func acceleration(count: Int, groups: [[Int]], statistic: ([Int]) throws -> Double) throws(StatsError) -> Double {
        let units = groups.flatMap { $0 }
        let blocks = min(count, 200)
        var thetas: [Double] = []
        for b in 0..<blocks {
            var kept: [Int] = []
            kept.reserveCapacity(count)
            for (position, unit) in units.enumerated() where position % blocks != b { kept.append(unit) }
            if let v = try? statistic(kept), v.isFinite { thetas.append(v) }
        }
        guard thetas.count >= 2 else { return 0 }
        let mean = thetas.reduce(0, +) / Double(thetas.count)
        var num = 0.0, den = 0.0
        for t in thetas { let d = mean - t; num += d * d * d; den += d * d }
        return den > 0 ? num / (6 * den * den.squareRoot()) : 0
    }

    /// Quantile of sorted values by linear interpolation (R type 7).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
