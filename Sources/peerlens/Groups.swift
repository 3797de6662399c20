import ArgumentParser
import Foundation
import PeerLensResearch

/// `peerlens groups`
struct Groups: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Support groups: attendance, return across sessions, facilitator load, outcomes of regular vs occasional attendees.",
        discussion: """
        A regular attendee went to at least --regular-sessions sessions of one group; the others are occasional. \
        Their mood change (last − first check-in) is compared with Welch's t test and Hedges' g — an observational \
        comparison. Members without research consent are excluded from every count.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var disclosure: DisclosureOptions

    @Option(help: "Sessions of one group that make a regular attendee.")
    var regularSessions = 4

    @Option(help: "The instrument of the outcome comparison.")
    var instrument = "PHQ-9"

    func validate() throws {
        guard regularSessions >= 2 else { throw ValidationError("--regular-sessions must be at least 2") }
    }

    func run() throws {
        var options = GroupsOptions()
        options.regularSessions = regularSessions
        options.instrument = instrument
        options.disclosureThreshold = disclosure.disclosureThreshold
        let r = try GroupsReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        let k = r.disclosureThreshold
        print("Support groups, \(r.from.prefix(10)) to \(r.to.prefix(10)); \(r.consentNote); counts under \(k) withheld")
        print("  \(r.groups) groups, \(Formatting.count(r.sessions)) sessions, \(Formatting.count(r.attendees, suppressedBelow: k)) attendees")
        print("  attendees per session \(Formatting.mean(r.attendancePerSession))" + (r.medianAttendance.map { String(format: ", median %g", $0) } ?? "")
              + "; sessions with a single attendee: \(Formatting.count(r.sessionsWithOneAttendee, suppressedBelow: k))")
        print("  attendees back at the next session \(Formatting.share(r.nextSessionReturn, suppressedBelow: k)); came back after their first session \(Formatting.share(r.cameBack, suppressedBelow: k))")
        if let mean = r.facilitatorSessionsPerWeek["mean"], let p90 = r.facilitatorSessionsPerWeek["p90"], let max = r.facilitatorSessionsPerWeek["max"] {
            print(String(format: "  %d facilitators: sessions per facilitator per week mean %.2f, 90th percentile %.2f, max %.2f", r.facilitators, mean, p90, max))
        }
        print("  regular attendees (≥ \(r.regularSessions) sessions of one group): \(Formatting.count(r.regularAttendees, suppressedBelow: k))")
        for o in r.outcomes { print("    \(o.attendees): \(r.instrument) change \(Formatting.mean(o.meanChange))") }
        if let t = r.outcomeDifference, let g = r.outcomeEffectSize {
            print(String(format: "    difference (regular − occasional) %.2f [%.2f, %.2f], Welch %@; Hedges' g %.2f [%.2f, %.2f]", t.estimate, t.interval.lower, t.interval.upper,
                         Formatting.p(t.pValue), g.hedgesG, g.intervalG.lower, g.intervalG.upper))
        }
        for n in r.notes { print("  note: \(n)") }
    }
}
