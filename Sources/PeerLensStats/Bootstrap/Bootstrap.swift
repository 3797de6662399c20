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
    /// The seed of the random stream (GSL MT19937, or `FastRandom` per replicate for the parallel
    /// multiplicity bootstrap): same seed, same interval.
    public let seed: UInt64
}

/// Nonparametric bootstrap over units (cases, messages, members), seeded and reproducible.
public enum Bootstrap {
    /// Bootstrap interval of `statistic` over resampled units. Resamples `sample` with replacement
    /// (within each stratum when `strata` is given, keeping stratum sizes), evaluates the statistic on
    /// each replicate, and forms a percentile or BCa interval. Quantiles use linear interpolation between
    /// order statistics (R's type 7).
    ///
    /// Each replicate draws `count` units with GSL's MT19937 (`RandomSource(seed:)`), stratum by stratum in
    /// order of first appearance, so the same data, options and seed give the same interval bit for bit.
    /// BCa uses the jackknife acceleration: exact leave-one-out for up to 200 units, otherwise a
    /// delete-a-group jackknife over 200 groups (unit at position i in group i mod 200), which keeps the cost
    /// at 200 evaluations of the statistic. See `interval(replicates:estimate:acceleration:level:method:_:)`
    /// for the interval formulas (they follow scipy.stats.bootstrap).
    ///
    /// A replicate whose statistic throws or is not finite (e.g. a resample with one class) is skipped and
    /// counted in `failedReplicates`; if more than 10 % fail, the interval is refused.
    ///
    /// - Throws: `StatsError` for an empty sample or n = 1, fewer than 100 replicates, a bad level, mismatched
    ///   strata, a statistic that fails on the original sample (its own error is passed on) or is not finite
    ///   there, too many failed replicates, or an undefined BCa adjustment.
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
        guard count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: count)) }
        guard replicates >= 100 else { throw StatsError(name, .invalidArgument("use at least 100 replicates")) }
        try Validate.level(level, name)
        if let strata { try Validate.sameLength(count, strata.count, name) }
        let all = Array(0..<count)
        let estimate: Double
        do { estimate = try statistic(all) } catch {
            if let reason = error as? StatsError { throw reason }
            throw StatsError(name, .invalidArgument("the statistic fails on the original sample: \(error)"))
        }
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
        let a = method == .bca ? acceleration(count: count, groups: groups, statistic: statistic) : 0
        let interval = try interval(replicates: values, estimate: estimate, acceleration: a, level: level, method: method, name)
        return BootstrapResult(estimate: estimate, interval: interval, method: method, replicates: values.count,
                               failedReplicates: failed, seed: seed)
    }

    /// The interval from replicate values (any order) — separated from the resampling so that it can be
    /// checked against scipy's `bootstrap` on the same replicates.
    ///
    /// Percentile: the α/2 and 1 − α/2 quantiles (R type 7). BCa (Efron 1987; Efron & Tibshirani 1993,
    /// eq. 14.10 and 14.15): z₀ = Φ⁻¹(share), share = (#{θ* < θ̂} + #{θ* ≤ θ̂})/(2B) (ties count half, as
    /// scipy), clamped to [1/(B+1), B/(B+1)] so z₀ stays finite; levels Φ(z₀ + (z₀ + z_q)/(1 − a(z₀ + z_q)))
    /// for q = α/2 and 1 − α/2. If all replicates equal θ̂ the interval is [θ̂, θ̂].
    static func interval(replicates: [Double], estimate: Double, acceleration a: Double, level: Double,
                         method: BootstrapMethod, _ name: String) throws(StatsError) -> ConfidenceInterval {
        let values = replicates.sorted()
        let alpha = 1 - level
        var lowerLevel = alpha / 2, upperLevel = 1 - alpha / 2
        if method == .bca {
            var below = 0, equal = 0
            for v in values { if v < estimate { below += 1 } else if v == estimate { equal += 1 } }
            let b = Double(values.count)
            let share = min(max((Double(below) + 0.5 * Double(equal)) / b, 1 / (b + 1)), b / (b + 1))
            let z0 = Distribution.normalQuantile(share)
            func adjusted(_ q: Double) -> Double {
                let zq = Distribution.normalQuantile(q)
                return Distribution.normalCDF(z0 + (z0 + zq) / (1 - a * (z0 + zq)))
            }
            lowerLevel = adjusted(alpha / 2)
            upperLevel = adjusted(1 - alpha / 2)
            guard lowerLevel.isFinite, upperLevel.isFinite, 1 - a * (z0 + Distribution.normalQuantile(1 - alpha / 2)) > 0 else {
                throw StatsError(name, .invalidArgument("the BCa adjustment is undefined (acceleration \(a) too large); use the percentile method"))
            }
        }
        return ConfidenceInterval(lower: quantile(values, lowerLevel), upper: quantile(values, upperLevel), level: level)
    }

    /// Jackknife acceleration a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^{3/2}). For more than 200 units the
    /// delete-a-group jackknife over 200 deterministic groups (unit i in group i mod 200, within strata
    /// order) keeps the cost at 200 evaluations.
    /// Jackknife values that throw or are not finite are left out; with fewer than two left, a = 0 (the
    /// interval is then bias-corrected only). Strata are kept together in the unit order but not otherwise
    /// used (as scipy, which has no strata).
    static func acceleration(count: Int, groups: [[Int]], statistic: ([Int]) throws -> Double) -> Double {
        let units = groups.flatMap { $0 }
        let blocks = min(count, 200)
        var thetas: [Double] = []
        for b in 0..<blocks {
            var kept: [Int] = []
            kept.reserveCapacity(count)
            for (position, unit) in units.enumerated() where position % blocks != b { kept.append(unit) }
            if let v = try? statistic(kept), v.isFinite { thetas.append(v) }
        }
        return acceleration(jackknife: thetas)
    }

    /// a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^{3/2}) from jackknife values θ₍ᵢ₎; 0 when they are all equal.
    static func acceleration(jackknife thetas: [Double]) -> Double {
        guard thetas.count >= 2 else { return 0 }
        let mean = thetas.reduce(0, +) / Double(thetas.count)
        var num = 0.0, den = 0.0
        for t in thetas { let d = mean - t; num += d * d * d; den += d * d }
        return den > 0 ? num / (6 * den * den.squareRoot()) : 0
    }

    /// Quantile of sorted values by linear interpolation (R type 7); `q` is clamped to [0, 1] and `sorted`
    /// must not be empty.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
