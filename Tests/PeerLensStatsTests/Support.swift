import Foundation
import Testing
@testable import PeerLensStats

/// A committed reference fixture (see Fixtures/generate/), read as untyped JSON.
struct Reference: @unchecked Sendable { // immutable after init
    let root: [String: Any]

    init(_ file: String) {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(file)
        root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    func section(_ key: String) -> Section { Section(values: root[key] as! [String: Any]) }
}

struct Section: @unchecked Sendable {
    let values: [String: Any]
    func double(_ key: String) -> Double { (values[key] as! NSNumber).doubleValue }
    func doubles(_ key: String) -> [Double] { (values[key] as! [Any]).map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
    func ints(_ key: String) -> [Int] { (values[key] as! [NSNumber]).map(\.intValue) }
    func bools(_ key: String) -> [Bool] { ints(key).map { $0 != 0 } }
    func intTable(_ key: String) -> [[Int]] { (values[key] as! [[NSNumber]]).map { $0.map(\.intValue) } }
    func array(_ key: String) -> [[String: Any]] { values[key] as! [[String: Any]] }
}

let r = Reference("r_reference.json")
let py = Reference("py_reference.json")

/// |a − b| ≤ tolerance·max(1, |b|): relative for large values, absolute near zero.
func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

func expectClose(_ a: Double, _ b: Double, _ tolerance: Double, _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(close(a, b, tolerance), "\(what): \(a) vs reference \(b) (tolerance \(tolerance))", sourceLocation: sourceLocation)
}

func expectClose(_ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(what): \(a.count) values vs \(b.count) in the reference", sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) where !close(x, y, tolerance) {
        Issue.record("\(what): \(x) vs reference \(y) (tolerance \(tolerance))", sourceLocation: sourceLocation)
        return
    }
}

/// Percentile bootstrap interval (200 replicates, seed 3) of how many units of `stratum` a resample holds, resampling
/// within `strata` or, with `stratified: false`, ignoring them.
func stratumSizeInterval(_ strata: [Int], stratum: Int, stratified: Bool = true) throws(StatsError) -> BootstrapResult {
    try Bootstrap.intervalByIndex(count: strata.count, strata: stratified ? strata : nil, replicates: 200, method: .percentile, seed: 3) { idx in
        Double(idx.filter { strata[$0] == stratum }.count)
    }
}
