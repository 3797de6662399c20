import CGSL

/// How pointwise survival intervals are formed from Greenwood's variance.
public enum SurvivalIntervalTransform: String, Sendable, Codable {
    /// S·exp(±z·σ), σ² = Σ dᵢ/(nᵢ(nᵢ − dᵢ)) — R `survfit`'s default `conf.type = "log"`.
    case log
    /// exp(−exp(log(−log S) ∓ z·σ/log S)) — `conf.type = "log-log"`.
    case logLog
    /// S ± z·S·σ — `conf.type = "plain"`.
    case plain
}

/// A Kaplan–Meier survival curve with Greenwood intervals.
public struct KaplanMeier: Sendable, Equatable, Codable {
    /// One step of the curve, at a time with at least one event or censoring.
    public struct Step: Sendable, Equatable, Codable {
        /// The time of this step.
        public let time: Double
        /// At risk just before `time`.
        public let atRisk: Int
        /// Events at this time.
        public let events: Int
        /// Censorings at this time.
        public let censored: Int
        /// Ŝ(t) = Π (1 − dᵢ/nᵢ) over event times ≤ t.
        public let survival: Double
        /// Greenwood σ(t) = √(Σ dᵢ/(nᵢ(nᵢ − dᵢ))) over event times ≤ t: the standard error of log Ŝ (R's
        /// `std.err`); nil once Ŝ = 0 (a time at which everyone at risk had the event), where it is undefined.
        public let standardErrorLogSurvival: Double?
        /// Pointwise interval (clipped to [0, 1]); nil where undefined (Ŝ = 0, or log-log at Ŝ = 1).
        public let lower: Double?
        /// Upper bound.
        public let upper: Double?
    }

    /// The steps, by time.
    public let steps: [Step]
    /// Median survival: the first time Ŝ ≤ ½; when Ŝ equals ½ (within 1e-8, survfit's tolerance
    /// √ε ≈ 1.5e-8) on an interval, the midpoint between that time and the next event time, as R's
    /// `survfit`/`quantile.survfit` do; nil if the curve never reaches ½.
    public let median: Double?
    /// Interval for the median (Brookmeyer & Crowley 1982, as survfit reports it): the first times the lower
    /// and the upper pointwise band reach ½, by the same rule as `median`; nil when not reached within
    /// follow-up (R's NA).
    public let medianLower: Double?
    /// Upper limit of the median's interval.
    public let medianUpper: Double?
    /// Transform used for the pointwise intervals.
    public let transform: SurvivalIntervalTransform
    /// Confidence level.
    public let level: Double

    /// Fits the Kaplan–Meier (1958) product-limit estimate Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) with Greenwood's (1926)
    /// variance and pointwise intervals under `transform`, as R's `survfit(Surv(time, status) ~ 1, conf.type =)`.
    /// `events[i]` is true for an observed event, false for censoring at `times[i]`; at tied times events are
    /// counted before censorings (censored cases are still at risk at their own time). One sort: O(n log n).
    ///
    /// All cases censored gives the documented flat curve Ŝ = 1 (σ = 0, intervals [1, 1], median nil).
    ///
    /// - Throws: `StatsError` for empty or mismatched input, negative or non-finite times, or a level outside (0, 1).
    public init(times: [Double], events: [Bool], level: Double = 0.95, transform: SurvivalIntervalTransform = .log) throws(StatsError) {
        let name = "Kaplan–Meier estimate"
        try Validate.sameLength(times.count, events.count, name)
        guard !times.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(times, name)
        guard times.allSatisfy({ $0 >= 0 }) else { throw StatsError(name, .invalidArgument("times must be non-negative")) }
        try Validate.level(level, name)
        let order = times.indices.sorted { times[$0] < times[$1] }
        let z = Distribution.zForLevel(level)
        var atRisk = times.count
        var s = 1.0, greenwood = 0.0
        var steps: [Step] = []
        var i = 0
        while i < order.count {
            let t = times[order[i]]
            var d = 0, c = 0
            while i < order.count && times[order[i]] == t { if events[order[i]] { d += 1 } else { c += 1 }; i += 1 }
            if d > 0 {
                s *= 1 - Double(d) / Double(atRisk)
                if atRisk > d { greenwood += Double(d) / Double(atRisk * (atRisk - d)) } else { greenwood = .infinity }
            }
            let sigma = greenwood.squareRoot()
            var lower: Double?, upper: Double?
            if s > 0 && sigma.isFinite {
                switch transform {
                case .log:
                    lower = s * exp(-z * sigma); upper = min(1, s * exp(z * sigma))
                case .plain:
                    lower = max(0, s - z * s * sigma); upper = min(1, s + z * s * sigma)
                case .logLog:
                    if s < 1 {
                        // R survfit: xx = log(-log S); se2 = σ/log S; band exp(-exp(xx ± z·se2)).
                        let l = log(s)
                        let xx = log(-l), se2 = sigma / l
                        lower = exp(-exp(xx - z * se2))
                        upper = exp(-exp(xx + z * se2))
                    } else if sigma == 0 { lower = 1; upper = 1 }
                }
            }
            steps.append(Step(time: t, atRisk: atRisk, events: d, censored: c, survival: s,
                              standardErrorLogSurvival: sigma.isFinite ? sigma : nil, lower: lower, upper: upper))
            atRisk -= d + c
        }
        self.steps = steps
        self.transform = transform
        self.level = level
        func crossing(_ value: (Step) -> Double?) -> Double? {
            let eventSteps = steps.filter { $0.events > 0 }
            for (k, step) in eventSteps.enumerated() {
                guard let v = value(step) else { continue }
                if abs(v - 0.5) < 1e-8 {
                    return k + 1 < eventSteps.count ? (step.time + eventSteps[k + 1].time) / 2 : step.time
                }
                if v < 0.5 { return step.time }
            }
            return nil
        }
        median = crossing { $0.survival }
        medianLower = crossing { $0.lower }
        medianUpper = crossing { $0.upper }
    }

    /// Ŝ(t): survival at time `t` (1 before the first event).
    public func survival(at t: Double) -> Double {
        steps.last { $0.time <= t }?.survival ?? 1
    }

    /// The curve read at time `t`, as R's `summary(survfit(…), times = t, extend = TRUE)` reports it.
    ///
    /// - `survival`, `lower`, `upper`: those of the last step at or before `t` (the curve is right-continuous,
    ///   so at an event time the drop at that time is included). Before the first step Ŝ = 1 with the interval
    ///   [1, 1] — R reports `std.err` 0 and `lower` = `upper` = 1 there, and the steps at Ŝ = 1 (censorings
    ///   before the first event) carry [1, 1] too, under each transform. After the last observed time the last
    ///   step's values are returned (R's `extend = TRUE`): follow-up ended there, so this carries the last
    ///   estimate forward rather than observing a plateau. Where the step's interval is undefined (Ŝ = 0)
    ///   `lower` and `upper` are nil, R's NA.
    /// - `atRisk`: the number still under observation at `t`, #{i : timeᵢ ≥ t} — R's `n.risk` for `times = t`,
    ///   which is the `n.risk` of the first step at or after `t` and 0 after the last time. At an event time it
    ///   counts the cases that have the event (or are censored) at `t`, as `Step.atRisk` does; before the
    ///   first time it is n.
    ///
    /// O(log steps). `t` must not be NaN (a programming error, trapped); ±∞ are allowed.
    public func estimate(at t: Double) -> SurvivalPoint {
        precondition(!t.isNaN, "Kaplan–Meier estimate requested at a NaN time")
        // First step with time > t; the one before it (if any) is the last step at or before t.
        var low = 0, high = steps.count
        while low < high {
            let mid = (low + high) / 2
            if steps[mid].time <= t { low = mid + 1 } else { high = mid }
        }
        let atRisk: Int
        if low > 0 && steps[low - 1].time == t { atRisk = steps[low - 1].atRisk } else if low < steps.count {
            atRisk = steps[low].atRisk
        } else { atRisk = 0 }
        guard low > 0 else { return SurvivalPoint(time: t, survival: 1, lower: 1, upper: 1, atRisk: atRisk) }
        let step = steps[low - 1]
        return SurvivalPoint(time: t, survival: step.survival, lower: step.lower, upper: step.upper, atRisk: atRisk)
    }
}

/// The Kaplan–Meier curve read at one time (see `KaplanMeier.estimate(at:)` for the exact definitions).
public struct SurvivalPoint: Sendable, Equatable, Codable {
    /// The time asked for.
    public let time: Double
    /// Ŝ(time): 1 before the first event, the last step's value after the last time.
    public let survival: Double
    /// Lower bound of the pointwise interval of the step in force at `time` (the fit's transform and level);
    /// 1 before the first step; nil where undefined (Ŝ = 0).
    public let lower: Double?
    /// Upper bound, as `lower`.
    public let upper: Double?
    /// #{i : timeᵢ ≥ time}: the number still under observation at `time` (R's `n.risk` from
    /// `summary(survfit, times =)`); 0 after the last observed time.
    public let atRisk: Int
}

/// The log-rank (Mantel–Cox) test comparing survival across groups.
public struct LogRankTest: Sendable, Equatable, Codable {
    /// χ² = (O − E)ᵀ V⁻¹ (O − E) over the first k − 1 groups, k − 1 degrees of freedom (R's `survdiff`).
    public let statistic: Double
    /// Degrees of freedom (groups − 1).
    public let degreesOfFreedom: Int
    /// Upper-tail χ² p-value.
    public let pValue: Double
    /// Observed and expected events per group, in the order of `groupLabels`.
    public let groupLabels: [Int]
    /// Observed events per group.
    public let observed: [Double]
    /// Expected events per group under the null.
    public let expected: [Double]

    /// Compares groups (`groups[i]` is the group of case i).
    ///
    /// - Throws: `StatsError` for mismatched or empty input, fewer than 2 groups, non-finite times, or a
    ///   singular variance matrix (e.g. no events).
    public init(times: [Double], events: [Bool], groups: [Int]) throws(StatsError) {
        let name = "log-rank test"
        try Validate.sameLength(times.count, events.count, name)
        try Validate.sameLength(times.count, groups.count, name)
        guard !times.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(times, name)
        let labels = Array(Set(groups)).sorted()
        guard labels.count >= 2 else { throw StatsError(name, .invalidArgument("need at least 2 groups")) }
        let k = labels.count
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let order = times.indices.sorted { times[$0] < times[$1] }
        var atRisk = [Double](repeating: 0, count: k)
        for g in groups { atRisk[index[g]!] += 1 }
        var observed = [Double](repeating: 0, count: k), expected = [Double](repeating: 0, count: k)
        var v = [Double](repeating: 0, count: k * k)
        var i = 0
        while i < order.count {
            let t = times[order[i]]
            var d = [Double](repeating: 0, count: k), leaving = [Double](repeating: 0, count: k)
            while i < order.count && times[order[i]] == t {
                let g = index[groups[order[i]]]!
                if events[order[i]] { d[g] += 1 }
                leaving[g] += 1
                i += 1
            }
            let dTotal = d.reduce(0, +), n = atRisk.reduce(0, +)
            if dTotal > 0 && n > 0 {
                for a in 0..<k {
                    observed[a] += d[a]
                    expected[a] += dTotal * atRisk[a] / n
                    if n > 1 {
                        let factor = dTotal * (n - dTotal) / (n * n * (n - 1))
                        for b in 0..<k {
                            v[a * k + b] += factor * ((a == b ? n * atRisk[a] : 0) - atRisk[a] * atRisk[b])
                        }
                    }
                }
            }
            for a in 0..<k { atRisk[a] -= leaving[a] }
        }
        // Solve using the first k − 1 groups.
        let m = k - 1
        var sub = [Double](repeating: 0, count: m * m)
        for a in 0..<m { for b in 0..<m { sub[a * m + b] = v[a * k + b] } }
        let diff = (0..<m).map { observed[$0] - expected[$0] }
        let solved: [Double]
        do { solved = try LogisticRegression.solve(sub, diff, m, name) } catch { throw StatsError(name, .allTied) }
        let x2 = zip(diff, solved).reduce(0) { $0 + $1.0 * $1.1 }
        statistic = x2
        degreesOfFreedom = m
        pValue = Distribution.chiSquaredUpper(x2, df: Double(m))
        groupLabels = labels
        self.observed = observed
        self.expected = expected
    }
}
