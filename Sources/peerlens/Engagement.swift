import ArgumentParser
import Foundation
import PeerLensLog
import PeerLensResearch

extension ActivityPeriod: ExpressibleByArgument {}
extension ActivitySource: ExpressibleByArgument {}
extension ResearchAttribute: ExpressibleByArgument {}

/// `peerlens engagement`
struct Engagement: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Engagement and retention: active members over time, Kaplan–Meier retention, log-rank comparisons.",
        discussion: """
        Retention follows members who joined within the data from their join time to their last activity. Leaving \
        can only be told from a pause --inactive-days after the last activity, so follow-up ends at that horizon \
        before the data end: a member with no activity after it has left; anyone active after it is censored there. \
        Retention at 7, 30 and 90 days carries Greenwood intervals, and is not estimated beyond the longest follow-up. \
        Members without research consent are excluded.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var disclosure: DisclosureOptions

    @Option(help: "Active members per day, week or month.")
    var over: ActivityPeriod = .week

    @Option(help: "Only members of this role (seeker, peer, listener, moderator, professional).")
    var role: Role?

    @Option(name: .customLong("activity"), help: "What counts as activity (repeatable; default all: activity, message, checkin, skill, group).")
    var sources: [ActivitySource] = []

    @Option(help: "A member with no activity in this many final days of the data has left.")
    var inactiveDays: Double = 14

    @Option(name: .customLong("compare"), help: "Attributes whose retention is compared by log-rank (repeatable; default condition and cohort).")
    var compare: [ResearchAttribute] = []

    func validate() throws {
        guard inactiveDays > 0, inactiveDays.isFinite else { throw ValidationError("--inactive-days must be positive") }
    }

    func run() throws {
        var options = EngagementOptions()
        options.over = over
        options.role = role
        if !sources.isEmpty { options.sources = sources }
        options.inactiveDays = inactiveDays
        if !compare.isEmpty { options.compare = compare }
        options.disclosureThreshold = disclosure.disclosureThreshold
        let r = try EngagementReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        let k = r.disclosureThreshold
        print("Engagement, \(r.from.prefix(10)) to \(r.to.prefix(10)); \(r.consentNote); counts under \(k) withheld")
        for d in r.definitions { print("  \(d)") }
        print("  \(Formatting.count(r.activeMembers)) active members; active per \(over.rawValue):")
        for p in r.activeByPeriod { print("    \(p.period): \(Formatting.count(p.members, suppressedBelow: k))") }
        if let d = r.activeDays { print(String(format: "  median active days per member %.1f [%.1f, %.1f]", d.median, d.interval.lower, d.interval.upper)) }
        if let m = r.activeMinutes { print(String(format: "  median minutes of activity per member %.0f [%.0f, %.0f]", m.median, m.interval.lower, m.interval.upper)) }
        print("  retention cohort: \(Formatting.count(r.newMembers)) members who joined within the data, \(Formatting.count(r.left)) left"
              + (r.medianDaysToLeaving.map { String(format: "; median %.1f days to leaving", $0) } ?? "; median not reached"))
        for p in r.retention { print("    \(Self.point(p))") }
        for c in r.comparisons {
            let test = c.logRank.map { String(format: "log-rank χ² = %.2f (df %d), %@", $0.statistic, $0.degreesOfFreedom, Formatting.p($0.pValue)) } ?? (c.note ?? "")
            print("  by \(c.by): \(test)")
            for g in c.groups {
                guard !g.suppressed, let n = g.members else { print("    \(g.group): withheld (small group)"); continue }
                print("    \(g.group): \(n) members; " + g.points.map(Self.point).joined(separator: "; "))
            }
        }
        for n in r.notes { print("  note: \(n)") }
    }

    static func point(_ p: RetentionPoint) -> String {
        guard let s = p.retained else { return "\(Int(p.days))-day retention not estimable" }
        let ci = p.lower.flatMap { l in p.upper.map { String(format: " [%.1f, %.1f]", l * 100, $0 * 100) } } ?? ""
        return String(format: "%d-day retention %.1f%%", Int(p.days), s * 100) + ci
    }
}
