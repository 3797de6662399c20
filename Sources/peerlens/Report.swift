import ArgumentParser
import PeerLensDocument
import Foundation
import PeerLensLog
import PeerLensReport
import PeerLensCommands
import PeerLensSafety

extension Audience: ExpressibleByArgument {}
extension PrimaryOutcome: ExpressibleByArgument {}

/// `peerlens report`
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the safety, research or funder report as Markdown, self-contained HTML or JSON.",
        discussion: """
        Runs the audience's analyses on the store (or, with --engine, on a Spark warehouse) and writes DIR/<audience>-report.<format> (html unless --format \
        is given; repeat --format for several formats from one run). Counts below the \
        minimum cell count are suppressed, with complementary suppression where totals are published. The same \
        store, options and --generated-at give byte-identical files. JSON keys: docs/cli-json.md.
        """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var engine: EngineOptions

    @Option(help: "Who the report is for: safety, research or funder; repeat for several from one run (what two reports both show is analysed once).")
    var audience: [Audience]

    @Option(help: "md (GitHub-flavoured Markdown), html (one self-contained file) or json; repeat for several from one run.")
    var format: [ReportFormat] = []

    @Option(help: "Directory to write the report into (created if missing).")
    var out: String

    @Option(help: "Generation time written in the report (RFC 3339), for reproducible builds (default: now).")
    var generatedAt: String?

    @OptionGroup var disclosure: PolicyOptions

    @Option(help: "Total programme cost, for the funder report's cost per outcome.")
    var cost: Double?

    @Option(help: "Currency of --cost.")
    var currency = "USD"

    @Option(help: "Safety report policy: the fewest alerts that keep sensitivity at or above this (0–1).")
    var minSensitivity: Double = 0.8

    @Option(help: "Safety report: what the sensitivity floor applies to, point (the estimate) or lower (the lower 95% confidence bound).")
    var assurance: SensitivityAssurance = .point

    @OptionGroup(title: "Safety report rota") var rota: RotaOptions

    @OptionGroup var reviews: ReviewDesignOptions

    @Option(help: "The alerting model of the safety report.")
    var model = "crisis"

    @Option(help: "Research report: the declared primary outcome its summary leads with: phq9-change, gad7-change or nhs-reliable-improvement.")
    var primaryOutcome: PrimaryOutcome = .phq9Change

    @Option(help: "Bootstrap replicates (risk evaluation, threshold interval).")
    var replicates: Int = 500

    @Option(help: "Seed of every bootstrap in the report.")
    var seed: UInt64 = 1

    func validate() throws {
        if let g = generatedAt, Timestamp(rfc3339: g) == nil { throw ValidationError("--generated-at must be an RFC 3339 date-time, e.g. 2026-03-01T00:00:00Z") }
        guard !audience.isEmpty else { throw ValidationError("--audience is needed: safety, research or funder (repeat for several)") }
        if disclosure.disclosureThreshold < DisclosurePolicy.defaultThreshold, audience.contains(where: { $0 != .research }) {
            throw ValidationError("only the research report may lower the minimum cell count below \(DisclosurePolicy.defaultThreshold)")
        }
        if let cost, !(cost > 0 && cost.isFinite) { throw ValidationError("--cost must be a positive amount") }
        if cost != nil, !audience.contains(.funder) { throw ValidationError("--cost goes with --audience funder") }
        guard minSensitivity > 0, minSensitivity <= 1 else { throw ValidationError("--min-sensitivity must be in (0, 1]") }
        if (assurance != .point || rota.declared), !audience.contains(.safety) {
            throw ValidationError("--assurance, --responders-per-shift, --shift-hours and --rota go with --audience safety")
        }
        if primaryOutcome != .phq9Change, !audience.contains(.research) { throw ValidationError("--primary-outcome goes with --audience research") }
        guard replicates == 0 || replicates >= 100 else { throw ValidationError("--replicates must be 0 or at least 100") }
        guard !out.isEmpty else { throw ValidationError("--out needs a directory") }
    }

    func run() throws {
        let generated = generatedAt.flatMap { Timestamp(rfc3339: $0)?.rfc3339 } ?? Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).rfc3339
        var options = ReportOptions(disclosure: try disclosure.policy(), generatedAt: generated,
                                    command: Provenance.commandLine(["peerlens"] + CommandLine.arguments.dropFirst()), toolVersion: PeerLensVersion.current)
        options.model = model
        options.minimumSensitivity = minSensitivity
        options.assurance = assurance
        options.rota = try rota.load()
        options.cost = cost
        options.currency = currency
        options.replicates = replicates
        options.seed = seed
        options.primaryOutcome = primaryOutcome
        options.reviews = reviews.labelling
        // One store for every audience: what two reports both analyse is read and computed once (EventStore's
        // read cache), and each report is the same bytes as from a run of its own. With --engine, the Spark
        // warehouse instead (its queries show their progress on a terminal).
        let progress = ProgressLine()
        defer { progress.finish() }
        let source = try engine.source(progress: { progress.update($0) }) ?? store.openReadOnly()
        let context = try ReportContext(store: source, options: options)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var audiences = Set<Audience>()
        for audience in audience where audiences.insert(audience).inserted {
            let document = try AudienceReport.build(audience, context: context)
            progress.finish()
            var seen = Set<ReportFormat>()
            for f in (format.isEmpty ? [.html] : format) where seen.insert(f).inserted {
                let text = try ReportRenderer.render(document, format: f)
                let path = (out as NSString).appendingPathComponent(ReportRenderer.fileName(audience: audience, format: f))
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                print(path)
            }
        }
    }
}
