import Foundation
import PeerLensStats

// Usage: StatsBenchmark [count] [data file]
// Generates `count` (default 10,000,000) probability scores with outcomes from a seeded GSL stream,
// writes them to the data file (float64 scores then uint8 labels) for the scikit-learn baseline, and times
// AUC with DeLong CI + full threshold sweep + reliability table + Brier decomposition + ECE.
let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1])! : 10_000_000
let dataPath = arguments.count > 2 ? arguments[2] : "/tmp/peerlens-stats-benchmark.bin"

let rng = RandomSource(seed: 20261125)
var scores = [Double](repeating: 0, count: count)
var labels = [Bool](repeating: false, count: count)
for i in 0..<count {
    // True risk from a Beta(1, 12) (≈ 8 % prevalence); a miscalibrated score, rounded to 1e-4 (so there are ties).
    let p = rng.beta(1, 12)
    labels[i] = rng.bernoulli(p)
    let z = 0.3 + 0.8 * log(p / (1 - p)) + rng.normal(sd: 0.5)
    scores[i] = (1 / (1 + exp(-z)) * 10_000).rounded() / 10_000
}
FileManager.default.createFile(atPath: dataPath, contents: nil)
let handle = FileHandle(forWritingAtPath: dataPath)!
scores.withUnsafeBytes { handle.write(Data($0)) }
labels.map { $0 ? UInt8(1) : 0 }.withUnsafeBytes { handle.write(Data($0)) }
try handle.close()

var best = Double.infinity
var result: RiskModelEvaluation?
for _ in 0..<3 {
    let start = DispatchTime.now()
    result = try RiskModelEvaluation(scores: scores, outcomes: labels, binCount: 10)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    best = min(best, seconds)
}
let r = result!
print(String(format: "peerlens: n=%d AUC %.6f [%.6f, %.6f], %d thresholds, ECE %.6f, Brier %.6f (REL %.6f RES %.6f UNC %.6f)",
             count, r.auc.auc, r.auc.interval.lower, r.auc.interval.upper, r.sweep.thresholds.count,
             r.reliability.expectedCalibrationError, r.brier.score, r.brier.reliability, r.brier.resolution, r.brier.uncertainty))
print(String(format: "peerlens_seconds %.3f", best))
