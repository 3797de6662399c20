/// The ascending order of a score vector, computed once and shared by the
/// statistics that need it (DeLong AUC, the threshold sweep, quantile bins).
///
/// Sorting is the only super-linear step in evaluating a risk model, so it is
/// an LSD radix sort on order-preserving 64-bit keys (11-bit digits, six
/// passes): O(N), and exact — equal doubles give equal keys, so ties are kept.
package struct ScoreOrder: Sendable {
    /// Indices into the scores, ascending by score (stable).
    package let indices: [Int32]
    /// The sorted scores.
    package let sorted: [Double]

    /// Sorts `scores` (finite; NaN has no order).
    package init(_ scores: [Double]) {
        precondition(scores.count < Int(Int32.max), "ScoreOrder supports fewer than 2^31 scores")
        let n = scores.count
        var keys = [UInt64](repeating: 0, count: n)
        var idx = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            keys[i] = ScoreOrder.key(scores[i])
            idx[i] = Int32(i)
        }
        if n > 64 {
            ScoreOrder.radixSort(&keys, carrying: &idx)
        } else {
            let pairs = zip(keys, idx).sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            keys = pairs.map(\.0)
            idx = pairs.map(\.1)
        }
        indices = idx
        sorted = idx.map { scores[Int($0)] }
    }

    /// Maps a double to an unsigned key with the same order (−0 and +0 map to the same key).
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Calls `body(start, end)` for each run of equal scores [start, end), in ascending order.
    func forEachTieGroup(_ body: (Int, Int) -> Void) {
        var i = 0
        let n = sorted.count
        while i < n {
            var j = i + 1
            while j < n && sorted[j] == sorted[i] { j += 1 }
            body(i, j)
            i = j
        }
    }
}

/// Sorting of large score vectors (e.g. every scored message of a model, for alert workload).
public enum ScoreSorting {
    /// `values` sorted descending, by an LSD radix sort on order-preserving 64-bit keys (11-bit digits, at
    /// most six passes): O(N), several times faster than a comparison sort on ten million scores. NaN is not
    /// allowed; −0 comes back as +0.
    public static func descending(_ values: [Double]) -> [Double] {
        precondition(!values.contains { $0.isNaN }, "ScoreSorting.descending: NaN has no order")
        let n = values.count
        var keys = values.map { ScoreOrder.key($0) }
        var none: [Int32] = []
        ScoreOrder.radixSort(&keys, carrying: &none)
        // Ascending keys → descending doubles.
        return (0..<n).map { ScoreOrder.value(ofKey: keys[n - 1 - $0]) }
    }
}

extension ScoreOrder {
    /// Sorts `keys` ascending and stably by an LSD radix sort (11-bit digits; a pass whose digit is the same for
    /// every key is skipped), permuting `indices` along with them unless it is empty.
    @inline(__always)
    static func radixSort(_ keys: inout [UInt64], carrying indices: inout [Int32]) {
        let n = keys.count
        let carry = !indices.isEmpty
        var keys2 = [UInt64](repeating: 0, count: n)
        var indices2 = [Int32](repeating: 0, count: carry ? n : 0)
        let bits = 11, radix = 1 << bits, mask = UInt64(radix - 1)
        var shift: UInt64 = 0
        while shift < 64 {
            var counts = [Int](repeating: 0, count: radix + 1)
            keys.withUnsafeBufferPointer { k in
                for i in 0..<n { counts[Int((k[i] >> shift) & mask) + 1] += 1 }
            }
            // Skip a pass whose digit is the same for every key.
            if counts.contains(n) { shift += UInt64(bits); continue }
            for d in 0..<radix { counts[d + 1] += counts[d] }
            keys.withUnsafeBufferPointer { k in
                keys2.withUnsafeMutableBufferPointer { k2 in
                    guard carry else {
                        for i in 0..<n {
                            let d = Int((k[i] >> shift) & mask)
                            k2[counts[d]] = k[i]
                            counts[d] += 1
                        }
                        return
                    }
                    indices.withUnsafeBufferPointer { ix in
                        indices2.withUnsafeMutableBufferPointer { ix2 in
                            for i in 0..<n {
                                let d = Int((k[i] >> shift) & mask)
                                let p = counts[d]
                                counts[d] = p + 1
                                k2[p] = k[i]
                                ix2[p] = ix[i]
                            }
                        }
                    }
                }
            }
            swap(&keys, &keys2)
            if carry { swap(&indices, &indices2) }
            shift += UInt64(bits)
        }
    }

    /// The double whose `key` is `key` (−0 and +0 share a key and come back as +0).
    @inline(__always)
    static func value(ofKey key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
}
