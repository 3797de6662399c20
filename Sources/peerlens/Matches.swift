import ArgumentParser
import Foundation
import PeerLensResearch
import PeerLensStats

extension MatchSuccess: ExpressibleByArgument {}

/// `peerlens matches`
struct Matches: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Peer matching: acceptance, sessions, ratings, endings, and whether the match score predicts success.",
        discussion: """
        Success is a completed match (default), a rating of 4 or 5 (--success rating), or the seeker still active \
        30 days after the match started (--success retained). Outcomes are shown by decile of the match score, by \
        match kind and for culturally matched vs unmatched pairs; a logistic regression of success on the eight \
        score components gives odds ratios, and the score's AUC (DeLong interval) says how well it ranks matches. \
        Calibration is reported only when the score is meant as a probability (--score-is-probability). Matches \
        involving a member without research consent are excluded.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var disclosure: DisclosureOptions

    @Option(help: "What counts as success: completed, rating or retained.")
    var success: MatchSuccess = .completed

    @Flag(help: "The platform means the match score as a probability of success: report its calibration.")
    var scoreIsProbability = false

    @Option(help: "The instrument of the seeker's mood change.")
    var instrument = "PHQ-9"

    func run() throws {
        var options = MatchesOptions()
        options.success = success
        options.scoreIsProbability = scoreIsProbability
        options.instrument = instrument
        options.disclosureThreshold = disclosure.disclosureThreshold
        let r = try MatchesReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        let k = r.disclosureThreshold
        print("Peer matching, \(r.from.prefix(10)) to \(r.to.prefix(10)); \(r.consentNote) (\(r.matchesExcluded) matches); counts under \(k) withheld")
        print("  \(Formatting.count(r.proposed)) proposed, accepted \(Formatting.share(r.acceptance, suppressedBelow: k)); \(Formatting.count(r.ended)) ended, \(Formatting.count(r.open)) without an end")
        print("  sessions per ended match \(Formatting.mean(r.sessionsPerMatch))" + (r.medianSessions.map { String(format: ", median %g", $0) } ?? ""))
        print("  ratings 1–5: " + r.ratings.enumerated().map { "\($0 + 1): \($1.map { Formatting.count($0) } ?? "withheld")" }.joined(separator: ", "))
        print("  ended for safety \(Formatting.share(r.endedForSafety, suppressedBelow: k)); rematched \(Formatting.share(r.rematched, suppressedBelow: k))")
        print("  success (\(r.success)): \(Formatting.share(r.successRate, suppressedBelow: k)) of \(Formatting.count(r.successKnown)) matches with a known outcome")
        if let a = r.scoreAUC { print(String(format: "  AUC of the match score for success %.3f [%.3f, %.3f]", a.auc, a.interval.lower, a.interval.upper)) }
        if let c = r.scoreCalibration {
            print(String(format: "  calibration of the score: intercept %.2f [%.2f, %.2f], slope %.2f [%.2f, %.2f]", c.intercept, c.interceptInterval.lower,
                         c.interceptInterval.upper, c.slope, c.slopeInterval.lower, c.slopeInterval.upper))
        }
        if !r.components.isEmpty {
            print("  logistic regression of success on the components (odds ratio per full range 0 → 1):")
            for e in r.components where e.component != "intercept" {
                print(String(format: "    %-16@ OR %.2f [%.2f, %.2f], %@", e.component, e.oddsRatio, e.oddsRatioInterval.lower, e.oddsRatioInterval.upper, Formatting.p(e.pValue)))
            }
        }
        for (title, rows) in [("by match-score decile", r.byScoreDecile), ("by kind", r.byKind), ("by cultural match", r.byCulturalMatch)] where !rows.isEmpty {
            print("  \(title):")
            for row in rows {
                guard !row.suppressed, let n = row.matches else { print("    \(row.group): withheld (small group)"); continue }
                print("    \(row.group): \(n) accepted" + (row.accepted.map { ", acceptance \(Formatting.share($0, suppressedBelow: k))" } ?? "")
                      + ", completed \(Formatting.share(row.completed, suppressedBelow: k)), rated 4–5 \(Formatting.share(row.ratedWell, suppressedBelow: k)), seeker retained \(Formatting.share(row.seekerRetained, suppressedBelow: k))"
                      + (row.seekerMoodChange.map { ", mood change \(Formatting.mean($0))" } ?? ""))
            }
        }
        for n in r.notes { print("  note: \(n)") }
    }
}
