import Testing
@testable import PeerLensSafety
import PeerLensStats
import PeerLensStore

/// The in-memory `ScoreDistribution` of the embedded store against brute force, and the alert-budget threshold
/// against the scan over the sorted scores it replaced (so that another engine's answers, which the Spark parity
/// tests compare with these, rest on a checked reference).
@Suite("Sorted scores")
struct SortedScoresTests {
    /// Scores with many ties (a coarse grid) and thresholds on and between them, from a fixed seed.
    static func cases() -> [(scores: [Double], thresholds: [Double])] {
        let random = RandomSource(seed: 20261206)
        return (0..<40).map { round in
            let n = 1 + random.integer(below: 60)
            let grid = round % 2 == 0 ? 10 : 1000
            let scores = (0..<n).map { _ in Double(random.integer(below: grid + 1)) / Double(grid) }
            let thresholds = (0...22).map { Double($0) / 20 - 0.05 } + scores.prefix(5)
            return (scores, thresholds)
        }
    }

    @Test func answersMatchBruteForce() throws {
        for (scores, thresholds) in Self.cases() {
            let sorted = SortedScores(descending: scores.sorted(by: >), firstTime: nil, lastTime: nil)
            #expect(sorted.count == scores.count)
            for t in thresholds {
                #expect(sorted.flagged(atOrAbove: t) == scores.filter { $0 >= t }.count)
                #expect(sorted.largestScore(below: t) == scores.filter { $0 < t }.max())
                #expect(sorted.smallestScore(above: t) == scores.filter { $0 > t }.min())
            }
            for index in scores.indices {
                #expect(sorted.score(atDescendingIndex: index) == scores.sorted(by: >)[index])
            }
        }
    }

    /// The scan `capacityThreshold` used before it asked a `ScoreDistribution`: from the first message over budget,
    /// back past every message tied with it.
    static func scanThreshold(_ s: [Double], allowed: Int) -> Double? {
        if allowed >= s.count { return s[s.count - 1] }
        var j = allowed - 1
        while j >= 0, s[j] == s[allowed] { j -= 1 }
        return j >= 0 ? s[j] : nil
    }

    @Test func theBudgetThresholdIsTheScansAnswer() throws {
        for (scores, _) in Self.cases() {
            let descending = scores.sorted(by: >)
            for allowed in 1...(descending.count + 2) {
                // `days` 1 and a budget of `allowed` alerts a day allow `allowed` alerts.
                let workload = Workload(scores: SortedScores(descending: descending, firstTime: nil, lastTime: nil), days: 1,
                                        periodSource: "test", responderHoursPerDay: nil, responderSource: nil)
                if let expected = Self.scanThreshold(descending, allowed: allowed) {
                    #expect(try ThresholdTuning.capacityThreshold(budget: Double(allowed), workload: workload) == expected)
                } else {
                    #expect(throws: AnalysisError.self) { try ThresholdTuning.capacityThreshold(budget: Double(allowed), workload: workload) }
                }
            }
        }
    }
}
