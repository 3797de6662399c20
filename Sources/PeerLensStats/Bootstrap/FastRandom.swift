/// A small, fast, seeded generator for bootstrap hot loops: SFC64, Chris Doty-Humphrey's Small Fast Chaotic
/// generator (PractRand; the same algorithm as NumPy's `SFC64` bit generator, and checked against it).
///
/// Bootstrap replicates draw hundreds of millions of bounded integers; through `RandomSource` (GSL's MT19937
/// behind a function pointer, then GSL's bounded-integer rejection) that call dominated `peerlens risk`. This
/// value type inlines into the loop. Bounded integers use Lemire's multiply-shift with rejection (Lemire 2019,
/// *Fast Random Integer Generation in an Interval*, ACM TOMACS 29:3), so they are exactly uniform and the
/// stream depends only on the seed, not on the Swift version. Not for simulation: `RandomSource` remains the
/// generator of record there.
public struct FastRandom: Sendable {
    @usableFromInline var a: UInt64, b: UInt64, c: UInt64, counter: UInt64

    /// A generator whose state is derived from `seed` with SplitMix64 (counter starting at 1), then advanced
    /// 12 steps, as Doty-Humphrey's reference seeding does.
    public init(seed: UInt64) {
        var splitMix = SplitMix64(state: seed)
        a = splitMix.next(); b = splitMix.next(); c = splitMix.next(); counter = 1
        for _ in 0..<12 { _ = next() }
    }

    /// A generator with the given raw state (a, b, c, counter), e.g. to compare with NumPy's `SFC64`.
    public init(state a: UInt64, _ b: UInt64, _ c: UInt64, counter: UInt64) {
        self.a = a; self.b = b; self.c = c; self.counter = counter
    }

    /// The next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let tmp = a &+ b &+ counter
        counter &+= 1
        a = b ^ (b >> 11)
        b = c &+ (c << 3)
        c = ((c << 24) | (c >> 40)) &+ tmp
        return tmp
    }

    /// A uniform integer in `0..<upperBound` (Lemire's method; `upperBound` must be positive).
    @inlinable @inline(__always)
    public mutating func integer(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "integer(below:) needs a positive bound")
        let n = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }
}
