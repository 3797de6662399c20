import Dispatch
import Foundation

extension Bootstrap {
    /// Runs `replicates` bootstrap replicates spread over the machine's cores and returns their results in
    /// replicate order.
    ///
    /// Replicate r gets its own generator, `FastRandom` seeded from `seed` and r, so results depend only on
    /// the seed — not on the number of cores or on scheduling. Each worker makes one scratch value with
    /// `scratch` (e.g. a multiplicity buffer) and reuses it across its replicates.
    public static func parallelReplicates<Scratch, Result: Sendable>(
        _ replicates: Int, seed: UInt64, scratch: @escaping @Sendable () -> Scratch,
        _ body: @escaping @Sendable (inout Scratch, inout FastRandom, Int) -> Result
    ) -> [Result] {
        guard replicates > 0 else { return [] }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: replicates)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        nonisolated(unsafe) let output = results
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, replicates))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var space = scratch()
            for r in stride(from: worker, to: replicates, by: workers) {
                var rng = FastRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1))
                output[r] = body(&space, &rng, r)
            }
        }
        return results.map { $0! }
    }

    /// Percentile bootstrap interval of a statistic of case multiplicities: each replicate draws, within each
    /// stratum (or over all cases), as many cases as the stratum holds, with replacement, and passes
    /// `multiplicities[i]` = copies of case i to `statistic`, which returns nil when the replicate is unusable.
    /// Replicates run in parallel (`parallelReplicates`). Quantiles as `interval(sample:…)` (R type 7).
    ///
    /// - Throws: `StatsError` for fewer than two cases or 100 replicates, a level outside (0, 1), mismatched
    ///   strata, a non-finite estimate, or more than 10 % of replicates failing.
    public static func percentileByMultiplicities(count: Int, strata: [Int]? = nil, replicates: Int = 2000, level: Double = 0.95,
                                                  seed: UInt64, estimate: Double,
                                                  statistic: @escaping @Sendable ([Int32]) -> Double?) throws(StatsError) -> BootstrapResult {
        let name = "bootstrap interval"
        guard count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: count)) }
        guard replicates >= 100 else { throw StatsError(name, .invalidArgument("use at least 100 replicates")) }
        try Validate.level(level, name)
        if let strata { try Validate.sameLength(count, strata.count, name) }
        guard estimate.isFinite else { throw StatsError(name, .nonFiniteValue) }
        // Cases grouped by stratum, in first-appearance order (deterministic).
        var groups: [[Int32]] = []
        if let strata {
            var position: [Int: Int] = [:]
            for i in 0..<count {
                if let g = position[strata[i]] { groups[g].append(Int32(i)) } else { position[strata[i]] = groups.count; groups.append([Int32(i)]) }
            }
        } else {
            groups = [(0..<count).map { Int32($0) }]
        }
        let strataCases = groups
        let values = parallelReplicates(replicates, seed: seed, scratch: { [Int32](repeating: 0, count: count) }) { m, rng, _ -> Double? in
            m.withUnsafeMutableBufferPointer { counts in
                counts.update(repeating: 0)
                for group in strataCases {
                    group.withUnsafeBufferPointer { cases in
                        for _ in 0..<cases.count { counts[Int(cases[rng.integer(below: cases.count)])] &+= 1 }
                    }
                }
            }
            return statistic(m).flatMap { $0.isFinite ? $0 : nil }
        }
        let finite = values.compactMap { $0 }
        let failed = replicates - finite.count
        guard failed * 10 <= replicates else {
            throw StatsError(name, .invalidArgument("\(failed) of \(replicates) replicates failed (too few events to resample?)"))
        }
        let ci = try interval(replicates: finite, estimate: estimate, acceleration: 0, level: level, method: .percentile, name)
        return BootstrapResult(estimate: estimate, interval: ci, method: .percentile, replicates: finite.count, failedReplicates: failed, seed: seed)
    }
}

/// A computation started on another thread at once, its result waited for when first asked: for overlapping
/// two independent, CPU-bound parts of one analysis (e.g. a logistic calibration fit while the discrimination
/// measures are computed) on a machine with two or more cores.
package final class Background<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before it signals `done`; read only after waiting on `done`.
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` on a global dispatch queue.
    package init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = work()
            done.signal()
        }
    }

    /// The result, waiting for the work to finish.
    package var value: Value {
        done.wait()
        done.signal() // later reads do not wait
        return result!
    }
}
