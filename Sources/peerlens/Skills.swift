import ArgumentParser
import Foundation
import PeerLensResearch

/// `peerlens skills`
struct Skills: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Skills practice (CBT, DBT, ACT) and supporter training, with their association with outcomes.",
        discussion: """
        Practice counts and completion per framework and skill; the change in mood per completed practice between \
        a member's first and last check-in, adjusted for the baseline score (least squares); supporters' training \
        completion, and the ratings, completion and mood change of the seekers matched with trained vs untrained \
        peers, and the outcomes of crisis responses by trained vs untrained responders. All observational. Members \
        without research consent are excluded.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var disclosure: DisclosureOptions

    @Option(help: "The instrument of the practice–outcome association.")
    var instrument = "PHQ-9"

    func run() throws {
        var options = SkillsOptions()
        options.instrument = instrument
        options.disclosureThreshold = disclosure.disclosureThreshold
        let r = try SkillsReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        let k = r.disclosureThreshold
        print("Skills and training, \(r.from.prefix(10)) to \(r.to.prefix(10)); \(r.consentNote); counts under \(k) withheld")
        for (title, rows) in [("frameworks", r.frameworks), ("skills", r.skills), ("training courses", r.courses)] where !rows.isEmpty {
            print("  \(title):")
            for s in rows {
                guard !s.suppressed, let m = s.members, let p = s.practices else { print("    \(s.name): withheld (small group)"); continue }
                print("    \(s.name): \(Formatting.count(m)) members, \(Formatting.count(p)) \(title == "training courses" ? "enrolments" : "practices"), completed \(Formatting.share(s.completion, suppressedBelow: k))")
            }
        }
        if let a = r.association {
            print(String(format: "  %@ change per completed practice, adjusted for baseline: %.3f [%.3f, %.3f], %@ (%d members)", r.instrument,
                         a.changePerPractice, a.interval.lower, a.interval.upper, Formatting.p(a.pValue), a.members))
        }
        print("  supporters who completed a course: \(Formatting.share(r.supportersTrained, suppressedBelow: k))")
        for row in r.matchesByTraining {
            guard let n = row.cases else { print("    matches with \(row.supporters) peers: withheld (small group)"); continue }
            print("    matches with \(row.supporters) peers: \(Formatting.count(n)); rating \(Formatting.mean(row.meanRating)); completed \(Formatting.share(row.completed, suppressedBelow: k)); seeker change \(Formatting.mean(row.seekerMoodChange))")
        }
        if let t = r.ratingDifference { print(String(format: "    rating difference (trained − untrained) %.2f [%.2f, %.2f], Welch %@", t.estimate, t.interval.lower, t.interval.upper, Formatting.p(t.pValue))) }
        if let c = r.completionTest { print(String(format: "    completion by training: χ² = %.2f, %@", c.statistic ?? .nan, Formatting.p(c.pValue))) }
        for row in r.responsesByTraining {
            guard let n = row.cases else { print("    crisis responses by \(row.supporters) responders: withheld (small group)"); continue }
            print("    crisis responses by \(row.supporters) responders: \(Formatting.count(n)); supported \(row.supported.map { Formatting.share($0, suppressedBelow: k) } ?? "n/a"); follow-up completed \(row.followUpCompleted.map { Formatting.share($0, suppressedBelow: k) } ?? "n/a")")
        }
        for n in r.notes { print("  note: \(n)") }
    }
}
