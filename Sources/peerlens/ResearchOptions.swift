import ArgumentParser
import PeerLensDocument
import Foundation
import PeerLensLog
import PeerLensStats

/// `--disclosure-threshold K`, shared by the research commands.
struct DisclosureOptions: ParsableArguments {
    @Option(help: "Counts below this are withheld, with every figure resting on them.")
    var disclosureThreshold: Int = 10

    func validate() throws {
        guard disclosureThreshold >= 1 else { throw ValidationError("--disclosure-threshold must be at least 1") }
    }
}

extension Role: ExpressibleByArgument {}

extension Formatting {
    /// A mean as `−3.21 [−3.60, −2.82] (n = 412)`; `n/a` without one.
    static func mean(_ m: MeanEstimate?, digits: Int = 2) -> String {
        guard let m else { return "n/a" }
        return String(format: "%.\(digits)f [%.\(digits)f, %.\(digits)f] (n = %@)", m.mean, m.interval.lower, m.interval.upper, count(m.count))
    }

    /// A p-value as `p = 0.031` or `p < 0.001`.
    static func p(_ p: Double) -> String { p < 0.001 ? "p < 0.001" : String(format: "p = %.3f", p) }

    /// A count that may have been withheld.
    static func count(_ n: Int?, suppressedBelow threshold: Int) -> String { n.map { count($0) } ?? "withheld (< \(threshold))" }
}

/// Parses `NAME=VALUE,NAME=VALUE` (instrument overrides such as `PHQ-9=0.84`).
func parseNamedValues(_ text: String, option: String) throws -> [String: Double] {
    var out: [String: Double] = [:]
    for part in text.split(separator: ",") {
        let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.count == 2, !pieces[0].isEmpty, let value = Double(pieces[1]), value.isFinite else {
            throw ValidationError("\(option) takes NAME=NUMBER pairs separated by commas, e.g. PHQ-9=0.84")
        }
        out[pieces[0]] = value
    }
    return out
}
