import Foundation
import Testing
@testable import PeerLensStats

/// A committed reference fixture `Fixtures/core_*.json` (written by `Fixtures/generate/core_*.{py,R}`),
/// read as untyped JSON. JSON `null` reads as NaN (the generators write undefined values as null).
struct CoreFixture: @unchecked Sendable { // immutable after init
    let value: Any

    init(value: Any) { self.value = value }

    /// Loads `Fixtures/<file>`.
    init(_ file: String) {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(file)
        value = try! JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    subscript(_ key: String) -> CoreFixture {
        guard let object = value as? [String: Any], let member = object[key] else {
            preconditionFailure("fixture has no key \(key)")
        }
        return CoreFixture(value: member)
    }

    subscript(_ index: Int) -> CoreFixture { array[index] }

    var has: (String) -> Bool { { key in (value as? [String: Any])?[key].map { !($0 is NSNull) } ?? false } }
    var array: [CoreFixture] { (value as! [Any]).map { CoreFixture(value: $0) } }
    var isNull: Bool { value is NSNull }
    var double: Double { (value as? NSNumber)?.doubleValue ?? .nan }
    var int: Int { (value as! NSNumber).intValue }
    var string: String { value as! String }
    var doubles: [Double] { array.map(\.double) }
    var ints: [Int] { array.map(\.int) }
    /// 0/1 or true/false.
    var bools: [Bool] { array.map { ($0.value as! NSNumber).intValue != 0 } }
    var matrix: [[Double]] { array.map(\.doubles) }
    var intMatrix: [[Int]] { array.map(\.ints) }
}

/// |actual − expected| ≤ relative·|expected| + absolute. NaN matches NaN (both "undefined").
func isNear(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-14) -> Bool {
    if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
    if actual.isInfinite || expected.isInfinite { return actual == expected }
    return abs(actual - expected) <= relative * abs(expected) + absolute
}

/// Records an issue unless `actual` is within the stated tolerance of the reference value.
func expectNear(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-14, _ what: String,
                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(isNear(actual, expected, relative: relative, absolute: absolute),
            "\(what): \(actual) vs reference \(expected) (relative tolerance \(relative), absolute \(absolute))",
            sourceLocation: sourceLocation)
}

/// Element-wise `expectNear`, also checking the lengths.
func expectNear(_ actual: [Double], _ expected: [Double], relative: Double, absolute: Double = 1e-14, _ what: String,
                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values vs \(expected.count) in the reference",
            sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !isNear(a, e, relative: relative, absolute: absolute) {
        Issue.record("\(what)[\(i)]: \(a) vs reference \(e) (relative tolerance \(relative), absolute \(absolute))",
                     sourceLocation: sourceLocation)
        return
    }
}
