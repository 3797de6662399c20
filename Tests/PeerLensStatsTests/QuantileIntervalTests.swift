import Foundation
import Testing
@testable import PeerLensStats

@Suite("Order-statistic quantile intervals")
struct QuantileIntervalTests {
    static let reference = Reference("core_quantile.json")

    @Test("Equal scipy.stats.quantile_test's confidence_interval exactly (continuous, skewed, tied, n = 4001)")
    func scipy() throws {
        let samples = Self.reference.root["samples"] as! [String: [NSNumber]]
        for c in Self.reference.root["cases"] as! [[String: Any]] {
            let x = samples[c["name"] as! String]!.map(\.doubleValue)
            let p = (c["p"] as! NSNumber).doubleValue, level = (c["level"] as! NSNumber).doubleValue
            let what = "\(c["name"]!) p=\(p) level=\(level)"
            if let low = c["low"] as? NSNumber, let high = c["high"] as? NSNumber {
                let ci = try QuantileInterval.orderStatistic(sorted: x, quantile: p, level: level)
                #expect(ci.lower == low.doubleValue && ci.upper == high.doubleValue, "\(what): [\(ci.lower), \(ci.upper)]")
            } else {
                // scipy gives NaN for an end that falls outside the sample; PeerLens refuses the interval.
                #expect(throws: StatsError.self, "\(what)") { try QuantileInterval.orderStatistic(sorted: x, quantile: p, level: level) }
            }
        }
    }

    @Test("Refuses empty, unsorted or too small samples and bad arguments")
    func degenerate() throws {
        #expect(throws: StatsError.self) { try QuantileInterval.orderStatistic(sorted: [], quantile: 0.5) }
        #expect(throws: StatsError.self) { try QuantileInterval.orderStatistic(sorted: [3, 1, 2, 4, 5, 6, 7], quantile: 0.5) }
        #expect(throws: StatsError.self) { try QuantileInterval.orderStatistic(sorted: [1, 2, 3, 4, 5], quantile: 0.5) }
        #expect(throws: StatsError.self) { try QuantileInterval.orderStatistic(sorted: [1, 2, 3, 4, 5, 6, 7], quantile: 1) }
        #expect(throws: StatsError.self) { try QuantileInterval.orderStatistic(sorted: [1, 2, .nan], quantile: 0.5) }
        // n = 6 is the smallest sample with a 95 % interval for the median: [x(1), x(6)].
        #expect(try QuantileInterval.orderStatistic(sorted: [1, 2, 3, 4, 5, 6], quantile: 0.5) == ConfidenceInterval(lower: 1, upper: 6, level: 0.95))
    }
}
