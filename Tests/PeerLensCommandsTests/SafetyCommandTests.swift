import Foundation
import Testing
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensReport
import PeerLensSafety
import PeerLensSimulator
import PeerLensStore

/// Every count cell, figure count and chart point count of a (policy-applied) document's public part.
func publishedCounts(_ d: ReportDocument) -> [Int] {
    var out: [Int] = []
    func visit(_ s: Section) {
        for block in s.blocks {
            switch block {
            case let .table(t) where t.disclosive && !t.internalOnly:
                for row in t.rows { for cell in row { if case let .count(n) = cell { out.append(n) } } }
            case let .keyFigures(f): out += f.compactMap(\.count)
            case let .chart(c): out += c.series.flatMap { $0.points.compactMap(\.count) }
            default: break
            }
        }
        s.subsections.forEach(visit)
    }
    d.sections.forEach(visit)
    return out
}

func document<C: PublishedCommand>(_ type: C.Type, _ arguments: [String], policy: DisclosurePolicy = .standard) throws -> ReportDocument {
    let command = try C.parse(arguments)
    let context = CommandContext(store: commandsStore, policy: policy)
    let d = try CommandRunner.document(command, context: context, commandLine: "peerlens \(C.name)", toolVersion: "test")
    return policy.apply(to: d)
}

@Suite("Safety commands")
struct SafetyCommandTests {
    @Test("crisis, moderation, thresholds and risk: after the policy no count of 1 to 10 is published", arguments: [
        ["crisis"], ["moderation"], ["thresholds", "--min-sensitivity", "0.8", "--replicates", "0"], ["risk", "--replicates", "100"],
        ["risk", "--by", "language", "--replicates", "100"], ["risk", "--over", "week", "--replicates", "100"],
    ])
    func noSmallCounts(_ arguments: [String]) throws {
        let type = try #require(CommandRegistry.command(named: arguments[0]))
        let d = try document(type, Array(arguments.dropFirst()))
        let counts = publishedCounts(d)
        #expect(!counts.isEmpty)
        #expect(counts.allSatisfy { !DisclosurePolicy.standard.isSmall($0) }, "\(arguments): \(counts.filter { DisclosurePolicy.standard.isSmall($0) })")
    }

    @Test("thresholds: alerts per true positive (NNE) is 1/PPV at every published row, its interval the PPV interval inverted")
    func numberNeededToEvaluate() throws {
        var options = ThresholdTuningOptions()
        options.replicates = 0
        let tuning = try ThresholdTuning.tune(store: commandsStore, options: options)
        let internalPolicy = try DisclosurePolicy(internalUse: true)
        let d = try document(ThresholdsCommand.self, ["--replicates", "0"], policy: internalPolicy)
        let table = try #require(d.sections.flatMap(\.blocks).compactMap { block -> Table? in
            if case let .table(t) = block, t.caption.hasPrefix("Working view") { return t } else { return nil }
        }.first)
        let nne = try #require(table.columns.firstIndex { $0.heading == "Alerts per true positive (NNE)" })
        var checked = 0
        for row in table.rows {
            guard case let .number(threshold) = row[0], let r = tuning.rows.first(where: { abs($0.threshold - threshold.value) < 1e-12 }) else { continue }
            let ppv = r.positivePredictiveValue
            guard let p = ppv.value, p > 0 else { #expect(row[nne] == .empty); continue }
            guard case let .number(cell) = row[nne] else { Issue.record("no NNE at \(threshold.value)"); continue }
            #expect(abs(cell.value - 1 / p) < 1e-12)
            if let l = ppv.lower, let u = ppv.upper, l > 0 {
                #expect(abs((cell.lower ?? .nan) - 1 / u) < 1e-12 && abs((cell.upper ?? .nan) - 1 / l) < 1e-12)
            } else {
                #expect(cell.lower == nil && cell.upper == nil)
            }
            checked += 1
        }
        #expect(checked >= 5)
    }

    @Test("thresholds: the working view with raw alert counts is published only with --internal, and labelled")
    func workingView() throws {
        func working(_ d: ReportDocument) -> [Table] {
            d.sections.flatMap(\.blocks).compactMap { if case let .table(t) = $0, t.caption.hasPrefix("Working view") { return t } else { return nil } }
        }
        let args = ["--min-sensitivity", "0.8", "--replicates", "0"]
        #expect(working(try document(ThresholdsCommand.self, args)).isEmpty)
        let internalPolicy = try DisclosurePolicy(internalUse: true)
        let tables = working(try document(ThresholdsCommand.self, args, policy: internalPolicy))
        #expect(tables.count == 1)
        #expect(tables.first?.notes.first?.contains("internal use") == true)
    }

    @Test("risk --by: a group with too few positives is not evaluable, not suppressed, and says why")
    func notEvaluable() throws {
        let d = try document(RiskCommand.self, ["--by", "language", "--min-positives", "100000", "--replicates", "100"])
        let cells = d.sections.flatMap(\.blocks).flatMap { block -> [Cell] in
            if case let .table(t) = block { return t.rows.flatMap { $0 } } else { return [] }
        }
        #expect(cells.contains(.notEvaluable("fewer than 100000 positives")))
    }

    @Test("Same store and options: byte-identical JSON")
    func deterministic() throws {
        for args in [["crisis"], ["moderation"]] {
            let type = try #require(CommandRegistry.command(named: args[0]))
            let a = try ReportRenderer.render(try document(type, []), format: .json)
            let b = try ReportRenderer.render(try document(type, []), format: .json)
            #expect(a == b)
        }
    }

    @Test("--predictions: the provenance names the CSV file and its SHA-256, not a store")
    func predictionsProvenance() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-predictions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("scores.csv").path
        var csv = "p,y\n"
        for i in 0..<200 { csv += "\(Double(i % 100) / 100),\(i % 100 >= 60 ? 1 : (i % 7 == 0 ? 1 : 0))\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let command = try RiskCommand.parse(["--predictions", path, "--score-col", "p", "--label-col", "y", "--replicates", "100"])
        let context = CommandContext(storePath: dir.appendingPathComponent("none.sqlite").path, policy: .standard)
        let d = try CommandRunner.document(command, context: context, commandLine: "peerlens risk", toolVersion: "test")
        #expect(d.provenance.store.path == path)
        #expect(d.provenance.store.files.count == 1 && d.provenance.store.files[0].records == 200 && d.provenance.store.files[0].format == "csv")
        #expect(d.provenance.store.files[0].sha256.count == 64)
    }
}
