import Testing
@testable import PeerLensStats

@Suite("Printed thresholds keep the flagged set")
struct ThresholdTextTests {
    /// Whether `score ≥ Double(text)` flags exactly the scores `score ≥ threshold` flags.
    static func sameFlags(_ text: String, _ threshold: Double, _ scores: [Double]) -> Bool {
        guard let v = Double(text) else { return false }
        return scores.allSatisfy { ($0 >= v) == ($0 >= threshold) }
    }

    @Test("The issue's case: a policy picking 0.02783… next to a score of 0.0277 prints 0.0278, not 0.03")
    func issueCase() {
        let scores = [0.0277, 0.027834, 0.0299, 0.031, 0.5]
        let t = ThresholdText.printed(0.027834, ascending: scores, minimumPlaces: 2)
        #expect(t.text == "0.0278" && t.places == 4)
        #expect(Self.sameFlags(t.text, 0.027834, scores))
        #expect(!Self.sameFlags("0.03", 0.027834, scores))
    }

    @Test("Fewest places that keep the flagged set, on any scale", arguments: [
        // (threshold, scores, minimum places, expected text)
        (2.0, [0.0, 1, 2, 3, 12], 0, "2"),
        (0.05, [0.01, 0.0499, 0.05, 0.2], 2, "0.05"),
        (0.5, [0.1, 0.5, 0.9], 2, "0.50"),
        (-1.2345, [-3, -1.2346, -1.2345, 0.5], 0, "-1.2345"),
        (-1.2345, [-3, -1.3, -1.2345, 0.5], 0, "-1.235"),
        (1500.25, [1200, 1500.2, 1500.25], 0, "1500.25"),
        (0.0249, [0.01, 0.0249, 0.3], 2, "0.02"),
    ] as [(Double, [Double], Int, String)])
    func fewestPlaces(threshold: Double, scores: [Double], minimumPlaces: Int, expected: String) {
        let t = ThresholdText.printed(threshold, ascending: scores.sorted(), minimumPlaces: minimumPlaces)
        #expect(t.text == expected)
        #expect(Self.sameFlags(t.text, threshold, scores))
    }

    @Test("Rounding up past the threshold is never printed; scores closer than 1e-12 fall back to the exact value")
    func edges() {
        // At 3 places 0.0249 rounds to 0.025, above the threshold (the case at 0.0249 would drop out): 4 places.
        #expect(ThresholdText.printed(0.0249, above: 0.01, minimumPlaces: 3).text == "0.0249")
        let t = 0.1 + 1e-14
        let exact = ThresholdText.printed(t, above: 0.1, minimumPlaces: 0)
        #expect(exact.places == nil && Double(exact.text) == t)
        // No observed score below: the shortest text not above the threshold.
        #expect(ThresholdText.printed(0.0049, above: nil, minimumPlaces: 2).text == "0.00")
    }

    @Test("Random scores: every candidate's printed form flags the same cases", arguments: [1, 2, 3] as [UInt64])
    func randomised(seed: UInt64) {
        var rng = SplitMix(seed)
        let scores = (0..<2000).map { _ in (rng.next() * 1e6).rounded() / 1e6 * (seed == 3 ? 40 : 1) - (seed == 3 ? 20 : 0) }.sorted()
        for t in Set(scores) {
            let p = ThresholdText.printed(t, ascending: scores, minimumPlaces: seed == 3 ? 0 : 2)
            #expect(Self.sameFlags(p.text, t, scores), "\(t) printed \(p.text)")
        }
    }
}

/// A small deterministic generator of uniform [0, 1) doubles for the test above.
private struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
