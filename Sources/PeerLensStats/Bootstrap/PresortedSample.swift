/// A scored, labelled, optionally weighted sample sorted once, so that statistics of bootstrap resamples
/// given as multiplicities cost one sequential pass each instead of a sort per replicate.
///
/// A resample is given as `multiplicities[p]` copies of the case at sorted position p (0 means absent);
/// `position(ofCase:)` maps a case index to its position, so a bootstrap that draws cases (or clusters of
/// cases) can count them straight into that layout and each pass reads memory in order. The statistics equal
/// what `ThresholdSweep.averagePrecision` and `ReliabilityTable.expectedCalibrationError` give on the
/// resampled cases with weights wᵢ·multiplicityᵢ (up to rounding).
///
/// Note: because multiplicities are multiplied in, every case is visited in every replicate, including the
/// ≈ 37 % a case bootstrap leaves out; a branch-free pass is faster than skipping them.
public struct PresortedSample: Sendable {
    /// Sorted position of each case.
    private let positions: [Int32]
    /// Per sorted position: weight, label, weight × score and equal-width bin.
    private let weights: [Double]
    private let outcomes: [Double]
    private let weightedScores: [Double]
    /// Equal-width bin of each tie group (empty when scores are not probabilities).
    private let groupBins: [UInt16]
    /// Whether every score lies in [0, 1] (the calibration error needs probabilities).
    private let probabilities: Bool
    /// Start of each tie group in sorted order, plus the end.
    private let groupStarts: [Int]
    /// Number of equal-width bins for the calibration error.
    public let binCount: Int

    /// Sorts `scores` once (ascending, stable).
    ///
    /// - Throws: `StatsError` for empty or mismatched input, non-finite scores, invalid weights, or fewer
    ///   than 1 or more than 65,535 bins.
    public init(scores: [Double], labels: [Bool], weights: [Double]? = nil, binCount: Int = 10) throws(StatsError) {
        let name = "presorted sample"
        try Validate.sameLength(scores.count, labels.count, name)
        guard !scores.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(scores, name)
        try Validate.weights(weights, count: scores.count, name)
        guard binCount >= 1, binCount <= Int(UInt16.max) else { throw StatsError(name, .invalidArgument("bin count must be in 1...65535")) }
        let order = ScoreOrder(scores)
        var positions = [Int32](repeating: 0, count: scores.count)
        for (p, i) in order.indices.enumerated() { positions[Int(i)] = Int32(p) }
        self.positions = positions
        self.weights = order.indices.map { weights?[Int($0)] ?? 1 }
        outcomes = order.indices.map { labels[Int($0)] ? 1 : 0 }
        self.weightedScores = zip(self.weights, order.sorted).map { $0 * $1 }
        self.binCount = binCount
        probabilities = order.sorted.allSatisfy { $0 >= 0 && $0 <= 1 }
        let interior = Array(ReliabilityTable.equalWidthEdges(binCount)[1..<binCount])
        var starts: [Int] = []
        order.forEachTieGroup { start, _ in starts.append(start) }
        groupBins = probabilities ? starts.map { UInt16(ReliabilityTable.bin(of: order.sorted[$0], interior: interior, uniform: true)) } : []
        starts.append(scores.count)
        groupStarts = starts
    }

    /// Number of cases.
    public var count: Int { positions.count }

    /// The sorted position of case `index` (where its multiplicity goes).
    public func position(ofCase index: Int) -> Int { Int(positions[index]) }

    /// Average precision and expected calibration error of one resample, from one pass in sorted order.
    public struct ResampleStatistics: Sendable, Equatable {
        /// Average precision (scikit-learn's definition, as `ThresholdSweep.averagePrecision`):
        /// Σ over distinct thresholds, descending, of ΔTP/P · TP/(TP + FP). Nil when the resample has no positives.
        public let averagePrecision: Double?
        /// Expected calibration error over `binCount` equal-width bins, Σ_b |O_b − E_b| / W (O_b and E_b the
        /// weighted events and predictions in bin b, W the total weight) — the same as Σ_b (W_b/W)·|ō_b − p̄_b|.
        /// Nil when some score is not a probability or the resample is empty.
        public let expectedCalibrationError: Double?
        /// Raw partial area under the ROC curve over FPR ≤ the requested maximum (`ThresholdSweep.partialArea`);
        /// nil when not requested or the resample lacks a class.
        public let partialAUC: Double?

        /// Creates the statistics of one resample.
        public init(averagePrecision: Double?, expectedCalibrationError: Double?, partialAUC: Double? = nil) {
            self.averagePrecision = averagePrecision
            self.expectedCalibrationError = expectedCalibrationError
            self.partialAUC = partialAUC
        }
    }

    /// The statistics of the resample with `multiplicities[p]` copies of the case at sorted position p.
    /// Tie groups never straddle a bin, so one pass over the tie groups serves average precision and ECE; with
    /// `partialAUCMaxFalsePositiveRate` m, a second pass from the highest scores stops once the false-positive
    /// rate passes m, so it reads only the top of the sample.
    public func statistics(multiplicities m: [Int32], partialAUCMaxFalsePositiveRate maxFPR: Double? = nil) -> ResampleStatistics {
        precondition(m.count == positions.count, "one multiplicity per case")
        var events = [Double](repeating: 0, count: binCount), expected = events
        // Accumulators live inside the closures: captured vars would be boxed on the heap.
        let (tp, fp, sum) = events.withUnsafeMutableBufferPointer { events in
            expected.withUnsafeMutableBufferPointer { expected in
                m.withUnsafeBufferPointer { mult in
                    weights.withUnsafeBufferPointer { weight in
                        outcomes.withUnsafeBufferPointer { outcome in
                            weightedScores.withUnsafeBufferPointer { weightedScore in
                                groupStarts.withUnsafeBufferPointer { starts -> (Double, Double, Double) in
                                    var tp = 0.0, fp = 0.0, sum = 0.0
                                    var g = starts.count - 1
                                    while g > 0 {
                                        var dTP = 0.0, dAll = 0.0, dScore = 0.0
                                        for k in starts[g - 1]..<starts[g] {
                                            let c = Double(mult[k])
                                            let w = weight[k] * c
                                            dAll += w
                                            dTP += w * outcome[k]
                                            dScore += weightedScore[k] * c
                                        }
                                        tp += dTP
                                        fp += dAll - dTP
                                        if dTP > 0 { sum += dTP * tp / (tp + fp) }
                                        if probabilities {
                                            let b = Int(groupBins[g - 1])
                                            events[b] += dTP
                                            expected[b] += dScore
                                        }
                                        g -= 1
                                    }
                                    return (tp, fp, sum)
                                }
                            }
                        }
                    }
                }
            }
        }
        var ece: Double?
        if probabilities, tp + fp > 0 {
            var gaps = 0.0
            for b in 0..<binCount { gaps += abs(events[b] - expected[b]) }
            ece = gaps / (tp + fp)
        }
        var partial: Double?
        if let maxFPR, tp > 0, fp > 0 { partial = partialArea(multiplicities: m, positives: tp, negatives: fp, maxFalsePositiveRate: maxFPR) }
        return ResampleStatistics(averagePrecision: tp > 0 ? sum / tp : nil, expectedCalibrationError: ece, partialAUC: partial)
    }

    /// The raw partial ROC area of a resample whose (weighted) positives and negatives total `positives` and
    /// `negatives`: the trapezoid rule over its tie groups from the highest score, interpolated linearly at the
    /// boundary, as `ThresholdSweep.partialArea`.
    private func partialArea(multiplicities m: [Int32], positives: Double, negatives: Double, maxFalsePositiveRate maxFPR: Double) -> Double {
        var area = PartialROCArea(limit: maxFPR), tp = 0.0, fp = 0.0
        var g = groupStarts.count - 1
        while g > 0 {
            var dTP = 0.0, dAll = 0.0
            for k in groupStarts[g - 1]..<groupStarts[g] {
                let w = weights[k] * Double(m[k])
                dAll += w
                dTP += w * outcomes[k]
            }
            g -= 1
            guard dAll > 0 else { continue }
            tp += dTP
            fp += dAll - dTP
            guard area.add(fpr: fp / negatives, tpr: tp / positives) else { break }
        }
        return area.area
    }
}
