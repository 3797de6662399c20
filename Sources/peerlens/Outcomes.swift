import ArgumentParser
import Foundation
import PeerLensLog
import PeerLensResearch

/// `peerlens outcomes`
struct Outcomes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mood outcomes: change from first to last check-in, reliable change, recovery, attrition and disaggregation.",
        discussion: """
        Per instrument, members with two or more check-ins are compared first vs last: mean change with its t \
        interval, paired t and Wilcoxon tests, the standardised change (Cohen's d_z and Hedges' g, standardised by \
        the SD of the differences). Reliable change follows Jacobson & Truax (1991), RCI = (x₂ − x₁)/(√2·SD·√(1 − r)), \
        with the instrument's published reliability and the baseline SD of the analysed members unless given; the \
        service definitions (reliable improvement and deterioration, recovery, reliable recovery) use the NHS Talking \
        Therapies thresholds for PHQ-9 (6 points, caseness ≥ 10) and GAD-7 (4 points, caseness ≥ 8). Attrition is \
        stated and a last-observation-carried-forward analysis sits beside the completers. Members without research \
        consent are excluded. Instruments beyond the built-in ones are declared in peerlens.json.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var disclosure: DisclosureOptions

    @Option(name: .customLong("instrument"), help: "An instrument to analyse (repeatable; default: every instrument with check-ins).")
    var instruments: [String] = []

    @Option(help: "Disaggregate by \(OutcomeBreakdown.allValues.joined(separator: ", ")).")
    var by: String?

    @Option(help: "Leave out members whose first and last check-in are fewer than this many days apart.")
    var minDays: Double = 0

    @Option(help: "Use the last check-in within this many days of the first (default: the last one).")
    var maxDays: Double?

    @Option(help: "Reliability overrides, e.g. PHQ-9=0.84,GAD-7=0.9.")
    var reliability: String?

    @Option(help: "Reference SD overrides for the reliable change index, e.g. PHQ-9=5.7.")
    var sd: String?

    func validate() throws {
        if let by, OutcomeBreakdown(by) == nil {
            throw ValidationError(UnknownValueError(option: "--by", value: by, known: OutcomeBreakdown.allValues, knownDescription: "accepted values").description)
        }
        guard minDays >= 0, minDays.isFinite else { throw ValidationError("--min-days must be zero or more") }
        if let maxDays { guard maxDays > 0, maxDays >= minDays else { throw ValidationError("--max-days must be positive and at least --min-days") } }
        if let reliability {
            for (name, r) in try parseNamedValues(reliability, option: "--reliability") where !(r >= 0 && r < 1) {
                throw ValidationError("--reliability: \(name) must be in [0, 1)")
            }
        }
        if let sd { for (name, v) in try parseNamedValues(sd, option: "--sd") where !(v > 0) { throw ValidationError("--sd: \(name) must be positive") } }
    }

    func run() throws {
        var options = OutcomesOptions()
        options.instruments = instruments.isEmpty ? nil : instruments
        options.catalog = try ProjectConfig.load().catalog()
        options.by = by.flatMap(OutcomeBreakdown.init)
        options.minimumDays = minDays
        options.maximumDays = maxDays
        options.reliability = try reliability.map { try parseNamedValues($0, option: "--reliability") } ?? [:]
        options.standardDeviation = try sd.map { try parseNamedValues($0, option: "--sd") } ?? [:]
        options.disclosureThreshold = disclosure.disclosureThreshold
        let r = try OutcomesReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        let k = r.disclosureThreshold
        print("Mood outcomes, \(r.from.prefix(10)) to \(r.to.prefix(10)): \(r.window)")
        print("  \(r.consentNote); counts under \(k) withheld")
        for note in r.notes { print("  note: \(note)") }
        for i in r.instruments {
            let d = i.definition
            print("\n\(i.instrument) (\(d.lowerIsBetter ? "lower is better" : "higher is better")): \(i.membersWithCheckins) members with check-ins, \(i.membersWithOneCheckin) with only one (attrition), \(i.membersWithShortFollowUp) with short follow-up, \(i.membersAnalysed) analysed"
                  + (i.medianFollowUpDays.map { String(format: ", median follow-up %.0f days", $0) } ?? ""))
            if let b = i.baseline, let f = i.final { print("  baseline \(Formatting.mean(b)); last \(Formatting.mean(f))") }
            if let c = i.change { print("  change (last − first) \(Formatting.mean(c))") }
            if let t = i.pairedT { print(String(format: "  paired t = %.2f (df %.0f), %@", t.statistic, t.degreesOfFreedom, Formatting.p(t.pValue))) }
            if let w = i.wilcoxon { print("  Wilcoxon signed-rank V = \(String(format: "%.1f", w.statistic)), \(Formatting.p(w.pValue))\(w.exact ? " (exact)" : "")") }
            if let e = i.effectSize {
                print(String(format: "  effect size d_z = %.2f [%.2f, %.2f], Hedges' g = %.2f [%.2f, %.2f] (standardised by the SD of the differences)",
                             e.cohensD, e.intervalD.lower, e.intervalD.upper, e.hedgesG, e.intervalG.lower, e.intervalG.upper))
            }
            if let t = d.jacobsonTruaxThreshold, let rr = d.reliability, let s = d.standardDeviation {
                print(String(format: "  Jacobson–Truax: r = %.2f (%@), SD = %.2f (%@), reliable change ≥ %.2f points", rr, d.reliabilitySource ?? "", s, d.standardDeviationSource ?? "", t))
                if let a = i.rciImproved, let b = i.rciDeteriorated { print("    reliably improved \(Formatting.share(a, suppressedBelow: k)); reliably deteriorated \(Formatting.share(b, suppressedBelow: k))") }
            }
            if let t = d.serviceThreshold, let a = i.reliableImprovement, let b = i.reliableDeterioration {
                print(String(format: "  service definitions (%@, %.4g points):", d.serviceThresholdSource ?? "", t))
                print("    reliable improvement \(Formatting.share(a, suppressedBelow: k)); reliable deterioration \(Formatting.share(b, suppressedBelow: k))")
            }
            if let c = d.caseness, let rec = i.recovery {
                print("    at caseness (\(d.lowerIsBetter ? "≥" : "≤") \(String(format: "%g", c))) at baseline: \(Formatting.count(i.atCaseness, suppressedBelow: k)); recovery \(Formatting.share(rec, suppressedBelow: k))"
                      + (i.reliableRecovery.map { "; reliable recovery \(Formatting.share($0, suppressedBelow: k))" } ?? ""))
            }
            for s in i.sensitivity {
                print("  \(s.analysis == "locf" ? "LOCF (single check-ins carried forward)" : "completers"): \(s.members) members, change \(Formatting.mean(s.meanChange)), reliable improvement \(Formatting.share(s.reliableImprovement, suppressedBelow: k))")
            }
            if let b = i.breakdown {
                print("  by \(b.by):")
                for g in b.groups {
                    guard !g.suppressed, let n = g.members else { print("    \(g.group): withheld (small group)"); continue }
                    print("    \(g.group): \(n) members, change \(Formatting.mean(g.meanChange)), reliable improvement \(Formatting.share(g.reliableImprovement, suppressedBelow: k))"
                          + (d.caseness != nil ? ", recovery \(Formatting.share(g.recovery, suppressedBelow: k))" : ""))
                }
                if let t = b.trend {
                    if let ca = t.improvementTrend { print(String(format: "    trend in reliable improvement across bands (Cochran–Armitage): z = %.2f, %@", ca.zStatistic, Formatting.p(ca.pValue))) }
                    if let s = t.changePerBand, let ci = t.changePerBandInterval, let p = t.changePerBandP {
                        print(String(format: "    change per band, adjusted for baseline: %.2f [%.2f, %.2f], %@", s, ci.lower, ci.upper, Formatting.p(p)))
                    }
                    for n in t.notes { print("    note: \(n)") }
                }
            }
            for n in i.notes { print("  note: \(n)") }
        }
    }
}
