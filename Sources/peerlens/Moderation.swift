import ArgumentParser
import Foundation
import PeerLensSafety
import PeerLensStats

/// `peerlens moderation`
struct Moderation: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Moderation: action rates per layer, appeals and overturns, time to action, re-offence after educate/warn/suspend.",
        discussion: """
        Overturned automatic actions are shown by model score band as a lower bound on the share of actions \
        that were false positives. Counts below the disclosure threshold are suppressed.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(help: "The model whose scores band overturned automatic actions.")
    var model: String = "toxicity"

    @Option(help: "Re-offence window in days.")
    var windowDays: Int = 30

    @Option(help: "A space counted as an eating-disorder space (repeatable).")
    var eatingDisorderSpace: [String] = ["eating_disorder"]

    @Option(help: "Counts below this are suppressed.")
    var disclosureThreshold: Int = 10

    func validate() throws {
        guard windowDays > 0 else { throw ValidationError("--window-days must be positive") }
        guard disclosureThreshold >= 1 else { throw ValidationError("--disclosure-threshold must be at least 1") }
    }

    func run() throws {
        var options = ModerationOptions()
        options.model = model
        options.windowDays = windowDays
        options.eatingDisorderSpaces = eatingDisorderSpace
        options.disclosureThreshold = disclosureThreshold
        let r = try ModerationReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        func pct(_ s: Share) -> String { Formatting.share(s, suppressedBelow: r.disclosureThreshold) }
        func minutes(_ m: Double?) -> String { m.map { String(format: "%.0f min", $0) } ?? "n/a" }
        print("Moderation: \(Formatting.count(r.actions)) actions on \(Formatting.count(r.messages)) messages")
        for l in r.layers {
            guard let n = l.actions else { print("  \(l.layer): fewer than \(r.disclosureThreshold) actions (suppressed)"); continue }
            let kinds = l.byAction.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print(String(format: "  %@: %@ actions (%.1f per 1,000 messages): %@%@", l.layer, Formatting.count(n), l.perThousandMessages ?? 0, kinds,
                         l.suppressedKinds > 0 ? "; \(l.suppressedKinds) kinds suppressed" : ""))
            print("    appealed \(pct(l.appealed)); overturned on appeal \(pct(l.overturned)); message to action median \(minutes(l.medianMinutesToAction)), p90 \(minutes(l.p90MinutesToAction))")
        }
        print("  overturned automatic actions by \(r.model) \(r.version ?? "(no scores)") score band (lower bound on false positives among actions):")
        for b in r.overturnedByScoreBand { print(String(format: "    %.1f–%.1f: %@", b.lower, b.upper, pct(b.overturned))) }
        print("  re-offence within \(r.reoffenceWindowDays) days (\(r.reoffenceCensored) actions too recent to follow up):")
        for row in r.reoffence { print("    after \(row.action): \(pct(row.reoffended))") }
        if let t = r.reoffenceTest {
            print(String(format: "    difference between actions: χ² %.2f, df %.0f, p %.4g", t.statistic ?? .nan, t.degreesOfFreedom ?? 0, t.pValue))
        }
        let tc = r.triggerContent
        print("  trigger content in \(tc.spaces.joined(separator: ", ")): " + (tc.actions.map { "\($0) actions; automatic \(pct(tc.automatic)); appealed \(pct(tc.appealed)); overturned \(pct(tc.overturned))" }
                                                                               ?? "fewer than \(r.disclosureThreshold) actions (suppressed or none)"))
    }
}
