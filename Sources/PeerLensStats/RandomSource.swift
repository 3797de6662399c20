import CGSL

/// A seeded, reproducible random number generator: GSL's Mersenne Twister
/// (`gsl_rng_mt19937`), owned by this object and freed in `deinit`.
///
/// The same seed yields the same stream on every platform GSL supports, which
/// is what makes bootstrap intervals and simulated logs byte-for-byte
/// reproducible. A `RandomSource` is not thread-safe: give each task its own
/// (see `split(_:)`).
public final class RandomSource {
    private let rng: UnsafeMutablePointer<gsl_rng>
    /// The seed this generator was created with.
    public let seed: UInt64

    /// Creates a generator seeded with `seed`.
    ///
    /// GSL seeds MT19937 with an `unsigned long`; seed 0 is mapped by GSL to
    /// its default seed (4357), so PeerLens passes `seed` unchanged and
    /// documents that 0 and 4357 give the same stream.
    public init(seed: UInt64) {
        _ = GSLRuntime.installed
        guard let rng = gsl_rng_alloc(peerlens_gsl_rng_mt19937()) else {
            preconditionFailure("gsl_rng_alloc failed: out of memory")
        }
        self.rng = rng
        self.seed = seed
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(rng) }

    /// A new generator whose seed is derived deterministically from this
    /// generator's seed and `stream`, for independent reproducible sub-streams
    /// (for example one per simulated subsystem or bootstrap worker).
    public func split(_ stream: UInt64) -> RandomSource {
        // SplitMix64 finaliser: well-spread seeds for nearby stream numbers.
        let z = SplitMix64.mix(seed &+ SplitMix64.gamma &* (stream &+ 1))
        return RandomSource(seed: z & 0xFFFF_FFFF)
    }

    /// A uniform double in [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform double in (0, 1), never exactly 0.
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// A uniform integer in `0..<upperBound`. `upperBound` must be positive.
    public func integer(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "integer(below:) needs a positive bound")
        return Int(gsl_rng_uniform_int(rng, UInt(upperBound)))
    }

    /// A normal variate with the given mean and standard deviation.
    public func normal(mean: Double = 0, sd: Double = 1) -> Double {
        mean + gsl_ran_gaussian_ziggurat(rng, sd)
    }

    /// An exponential variate with the given mean.
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

    /// A log-normal variate: `exp(N(mu, sigma))`.
    public func logNormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, mu, sigma) }

    /// A beta variate with shape parameters `a` and `b`.
    public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }

    /// A gamma variate with shape `shape` and scale `scale`.
    public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(rng, shape, scale) }

    /// A Poisson variate with mean `mean`.
    public func poisson(mean: Double) -> Int { Int(gsl_ran_poisson(rng, mean)) }

    /// A Bernoulli trial that is `true` with probability `p`.
    public func bernoulli(_ p: Double) -> Bool { gsl_ran_bernoulli(rng, p) == 1 }

    /// An index drawn with probability proportional to `weights` (non-negative,
    /// not all zero).
    public func categorical(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "categorical(_:) needs a positive total weight")
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }

    /// Counts of `trials` draws over categories with probabilities proportional to `weights` (non-negative, not
    /// all zero): GSL's `gsl_ran_multinomial`, one binomial draw per category (conditional binomial method), so
    /// the cost grows with the number of categories, not with `trials`.
    public func multinomial(trials: Int, weights: [Double]) -> [Int] {
        precondition(trials >= 0 && weights.contains { $0 > 0 } && weights.allSatisfy { $0 >= 0 }, "multinomial needs trials ≥ 0 and a positive weight")
        var counts = [UInt32](repeating: 0, count: weights.count)
        weights.withUnsafeBufferPointer { p in
            counts.withUnsafeMutableBufferPointer { n in
                gsl_ran_multinomial(rng, weights.count, UInt32(trials), p.baseAddress, n.baseAddress)
            }
        }
        return counts.map(Int.init)
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a counter stepped by the golden-ratio gamma, each value mixed by the
/// finaliser. Seeds `FastRandom` and spreads the seeds of `RandomSource.split`'s sub-streams.
struct SplitMix64: RandomNumberGenerator {
    /// The counter.
    var state: UInt64

    /// 2⁶⁴/φ, odd.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The next 64 bits: the counter advanced by `gamma`, mixed.
    mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser (a variant of MurmurHash3's fmix64).
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
