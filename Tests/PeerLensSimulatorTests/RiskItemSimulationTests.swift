import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensSimulator

@Suite("Simulator: PHQ-9 item 9 (risk_item)")
struct RiskItemSimulationTests {
    /// A simulation run step by step, so that the members' latent crisis propensity can be read beside the events.
    func run(_ truth: TrueParameters = TrueParameters()) -> (events: [Event], members: [SimMember]) {
        let config = SimulationConfig(seed: 11, members: 1500, days: 42)
        var state = SimulationState(config: config, truth: truth)
        state.createMembers()
        var events: [Event] = []
        for day in 0..<config.days {
            state.simulate(day: day)
            events += state.takeDay(day)
        }
        return (events, state.members)
    }

    @Test("Every PHQ-9 check-in has an item 9 score in 0–3, at most its total; other instruments have none")
    func present() {
        let checkins = small.events.compactMap { event -> CheckinEvent? in if case let .checkin(c) = event { c } else { nil } }
        let phq = checkins.filter { $0.instrument == "PHQ-9" }
        #expect(phq.count > 200)
        #expect(phq.allSatisfy { c in c.riskItem.map { (0...3).contains($0) && Double($0) <= c.score } ?? false })
        #expect(checkins.filter { $0.instrument != "PHQ-9" }.allSatisfy { $0.riskItem == nil })
        #expect(phq.contains { ($0.riskItem ?? 0) >= 1 } && phq.contains { $0.riskItem == 0 })
    }

    @Test("The manifest records the item's true parameters")
    func recorded() throws {
        let p = small.manifest.parameters
        #expect(p.riskItemCutpoints == [-2.8, -4.0, -5.2] && p.riskItemSlope == 1.2 && p.riskItemCheckinSD == 0.8)
        let json = String(decoding: try small.manifest.jsonData(), as: UTF8.self)
        for key in ["risk_item_cutpoints", "risk_item_slope", "risk_item_checkin_sd"] { #expect(json.contains("\"\(key)\"")) }
    }

    /// E over ε ~ N(0, σ) of expit(a + ε): a midpoint rule on ±8σ (error far below the test's tolerance).
    func expectedExpit(_ a: Double, sd: Double) -> Double {
        guard sd > 0 else { return 1 / (1 + exp(-a)) }
        let n = 400, width = 16 * sd / Double(n)
        var sum = 0.0
        for i in 0..<n {
            let e = -8 * sd + (Double(i) + 0.5) * width
            sum += exp(-e * e / (2 * sd * sd)) / (sd * (2 * Double.pi).squareRoot()) * width / (1 + exp(-(a + e)))
        }
        return sum
    }

    @Test("Endorsement follows the cumulative logit on the member's crisis propensity: observed counts within 4 SD of the truth, and more often for members above the median propensity")
    func followsTruth() throws {
        let truth = TrueParameters()
        let (events, members) = run(truth)
        var observed = [0, 0, 0], expected = [0.0, 0.0, 0.0], variance = [0.0, 0.0, 0.0]
        var high = (checkins: 0, endorsed: 0), low = (checkins: 0, endorsed: 0)
        let median = members.map(\.crisisEffect).sorted()[members.count / 2]
        for case let .checkin(c) in events where c.instrument == "PHQ-9" {
            let m = members[Int(c.member.dropFirst())!]
            let item = try #require(c.riskItem)
            for j in 0..<3 where Double(j + 1) <= c.score {
                // P(item ≥ j + 1) given the member's propensity (the check-in draw integrated out); the cap at the
                // total makes it 0 where the total is below j + 1.
                let p = expectedExpit(truth.riskItemCutpoints[j] + truth.riskItemSlope * m.crisisEffect, sd: truth.riskItemCheckinSD)
                expected[j] += p
                variance[j] += p * (1 - p)
                if item >= j + 1 { observed[j] += 1 }
            }
            if m.crisisEffect > median { high.checkins += 1; if item >= 1 { high.endorsed += 1 } } else { low.checkins += 1; if item >= 1 { low.endorsed += 1 } }
        }
        for j in 0..<3 {
            #expect(abs(Double(observed[j]) - expected[j]) <= 4 * variance[j].squareRoot() + 1,
                    "item ≥ \(j + 1): observed \(observed[j]), expected \(expected[j]) ± \(variance[j].squareRoot())")
        }
        #expect(observed[0] > 30)
        let rateHigh = Double(high.endorsed) / Double(max(1, high.checkins)), rateLow = Double(low.endorsed) / Double(max(1, low.checkins))
        #expect(rateHigh > 2 * rateLow, "endorsement: above-median propensity \(rateHigh), below \(rateLow)")
    }

    @Test("The item has its own random stream: changing its parameters changes no other event")
    func ownStream() {
        var other = TrueParameters()
        other.riskItemCutpoints = [0, -1, -2]
        other.riskItemSlope = 0
        func stripped(_ events: [Event]) -> [Event] {
            events.map { event in
                guard case var .checkin(c) = event else { return event }
                c.riskItem = nil
                return .checkin(c)
            }
        }
        let a = run().events, b = run(other).events
        #expect(stripped(a) == stripped(b))
        #expect(a != b)
    }
}
