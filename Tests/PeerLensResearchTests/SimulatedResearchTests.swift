import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensResearch
@testable import PeerLensSimulator
@testable import PeerLensStats
@testable import PeerLensStore

/// One simulated community, long enough that many members have eight weeks between check-ins, ingested once.
let simulatedCommunity = simulatedStore(seed: 21, members: 4000, days: 180)

@Suite("Research analyses recover the simulator's truth")
struct SimulatedResearchTests {
    var truth: TrueParameters { simulatedCommunity.manifest.parameters }

    /// P(N(μ, σ) > x).
    func upperTail(_ x: Double, mean: Double, sd: Double) -> Double { 1 - Distribution.normalCDF((x - mean) / sd) }

    @Test("Mean improvement and reliable improvement (PHQ-9, GAD-7) after eight weeks fall inside their intervals")
    func moodOutcomes() throws {
        var options = OutcomesOptions()
        // Improvement reaches its full size at eight weeks: score = baseline − improvement·min(1, weeks/8) + noise.
        options.minimumDays = 56
        let report = try OutcomesReport.analyse(store: simulatedCommunity.store, options: options)
        #expect(report.membersExcluded == simulatedCommunity.manifest.realised.membersWithoutConsent)
        for (name, mean, sd) in [("PHQ-9", truth.phq9ImprovementMean, truth.phq9ImprovementSD), ("GAD-7", truth.gad7ImprovementMean, truth.gad7ImprovementSD)] {
            let result = try #require(report.instruments.first { $0.instrument == name })
            #expect(result.membersAnalysed >= 100, "\(name): \(result.membersAnalysed) members analysed")
            let change = try #require(result.change)
            #expect(change.interval.contains(-mean), "\(name): true change \(-mean) outside [\(change.interval.lower), \(change.interval.upper)]")
            // Integer scores: a fall of at least t points is a continuous change above t − 0.5 (two noise terms).
            let threshold = try #require(result.definition.serviceThreshold)
            let spread = (sd * sd + 2 * truth.checkinNoiseSD * truth.checkinNoiseSD).squareRoot()
            let expected = upperTail(threshold - 0.5, mean: mean, sd: spread)
            let improved = try #require(result.reliableImprovement?.interval)
            #expect(improved.contains(expected), "\(name): true reliable improvement \(expected) outside [\(improved.lower), \(improved.upper)]")
            if name == "PHQ-9" {
                #expect(abs(expected - simulatedCommunity.manifest.realised.expectedPHQ9ReliableImprovementAt8Weeks) < 1e-12)
            }
            // LOCF adds the single check-ins with a change of 0: the sums of change agree.
            let completers = try #require(result.sensitivity.first { $0.analysis == "completers" })
            let locf = try #require(result.sensitivity.first { $0.analysis == "locf" })
            #expect(locf.members == completers.members + result.membersWithOneCheckin)
            let completerSum = try #require(completers.meanChange).mean * Double(completers.members)
            let locfSum = try #require(locf.meanChange).mean * Double(locf.members)
            #expect(abs(completerSum - locfSum) < 1e-6)
        }
    }

    @Test("Retention at 7, 30 and 90 days recovers the simulator's lifetime and activity process")
    func retention() throws {
        var options = EngagementOptions()
        options.role = .seeker
        options.sources = [.activity]
        options.compare = [.cohort]
        // Three intervals at once: Bonferroni, so that all cover the truth with probability ≥ 95 %.
        options.level = 1 - 0.05 / 3
        let report = try EngagementReport.analyse(store: simulatedCommunity.store, options: options)
        // A seeker's lifetime is L = ⌈Exp(mean)⌉ days from the join day, active each day with probability p; the time
        // from joining to the last activity exceeds t days when the last active day offset j ≥ t + 1, or j = t and
        // the activity came later in its day than the join did (probability ½).
        let p = truth.activeProbabilitySeeker, mean = truth.meanLifetimeDays
        func lastOffsetAtLeast(_ m: Int) -> Double {
            (1..<3000).reduce(0.0) { sum, l in
                let pl = exp(-Double(l - 1) / mean) - exp(-Double(l) / mean)
                return sum + pl * (1 - pow(1 - p, Double(max(0, l - m))))
            }
        }
        for point in report.retention {
            let t = Int(point.days)
            let expected = lastOffsetAtLeast(t + 1) + 0.5 * (lastOffsetAtLeast(t) - lastOffsetAtLeast(t + 1))
            let (lower, upper) = (try #require(point.lower), try #require(point.upper))
            #expect(lower <= expected && expected <= upper, "\(t)-day retention: truth \(expected) outside [\(lower), \(upper)]")
        }
        // Cohort is assigned at random: the log-rank test has no reason to reject at the 0.1 % level.
        let logRank = try #require(report.comparisons.first?.logRank)
        #expect(logRank.pValue > 0.001)
    }

    @Test("The success regression recovers the eight match-component weights")
    func matchComponents() throws {
        var options = MatchesOptions()
        // Nine intervals at once: Bonferroni, so that all cover the truth with probability ≥ 95 %.
        options.level = 1 - 0.05 / 8
        let report = try MatchesReport.analyse(store: simulatedCommunity.store, options: options)
        #expect(report.components.count == 9)
        for (name, weight) in zip(MatchComponents.fieldNames, truth.matchSuccessWeights) {
            let effect = try #require(report.components.first { $0.component == name })
            #expect(effect.interval.contains(weight), "\(name): true weight \(weight) outside [\(effect.interval.lower), \(effect.interval.upper)]")
        }
        // Only ended matches have an outcome, and successful matches last longer, so the ended ones under-represent
        // success: that shifts the intercept (as in a case–control sample), not the slopes — the intercept is not tested.
        let auc = try #require(report.scoreAUC)
        #expect(auc.interval.lower > 0.5)
        #expect(report.open > 0 && report.ended + report.open == report.acceptance.count)
    }
}
