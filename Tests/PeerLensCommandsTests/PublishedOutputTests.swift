import ArgumentParser
import Foundation
import Testing
@testable import PeerLensCommands
@testable import PeerLensDocument
import PeerLensReport
import PeerLensStore

/// The demo dataset (datasets/demo), ingested once for the tests of every command's published output.
let demoStore: EventStore = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-commands-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = try! EventStore(path: dir.appendingPathComponent("demo.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: root.appendingPathComponent("datasets/demo/events.jsonl.gz").path, into: store)
    return store
}()

/// The repository's `docs/schemas`.
let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/schemas")

/// The registered commands' names.
let commandNames: [String] = CommandRegistry.commands.map { $0.name }

/// Every registered command with the arguments the checks run it with: its defaults, and the variants that
/// publish other tables (breakdowns, comparisons). Bootstraps run 100 replicates here (the code path is the
/// same; the debug build is slow).
let invocations: [[String]] = commandNames.map { name in
    ["risk", "thresholds", "health"].contains(name) ? [name, "--replicates", "100"] : [name]
} + [
    ["outcomes", "--by", "sessions"], ["outcomes", "--by", "gender"], ["risk", "--by", "language", "--over", "month", "--replicates", "100"],
    ["risk", "--compare", "v1", "v2", "--replicates", "100"], ["risk", "--cluster", "member", "--replicates", "100"],
    ["thresholds", "--min-sensitivity", "0.8", "--replicates", "100"], ["health", "--over", "week", "--replicates", "100"],
    ["impact", "--cost", "250000"], ["engagement", "--over", "month", "--compare", "condition"], ["matches", "--success", "rating"],
]

/// Each invocation's document, built once (one analysis per invocation) and shared by the checks.
let publishedDocuments: [[String]: ReportDocument] = {
    var out: [[String]: ReportDocument] = [:]
    for arguments in invocations { out[arguments] = try? document(arguments) }
    return out
}()

/// The published output of an invocation in `format`, under `policy` (the renderer applies it).
func published(_ arguments: [String], _ format: ReportFormat, policy: DisclosurePolicy = .standard) throws -> String {
    var d = try #require(publishedDocuments[arguments], "\(arguments.joined(separator: " ")) failed to run")
    d.disclosure = policy
    return try ReportRenderer.render(d, format: format)
}

/// Runs a registered command in process on the demo store under `policy` and returns its document.
func document(_ arguments: [String], policy: DisclosurePolicy = .standard) throws -> ReportDocument {
    guard let type = CommandRegistry.command(named: arguments[0]) else { throw CommandError("\(arguments[0]) is not registered") }
    return try buildDocument(type, Array(arguments.dropFirst()), policy: policy)
}

private func buildDocument<C: PublishedCommand>(_ type: C.Type, _ arguments: [String], policy: DisclosurePolicy) throws -> ReportDocument {
    let command = try C.parse(arguments)
    return try CommandRunner.document(command, context: CommandContext(store: demoStore, policy: policy),
                                      commandLine: (["peerlens", C.name] + arguments).joined(separator: " "), toolVersion: "test")
}

/// A command's output in `format` (its document built here unless given).
func render(_ arguments: [String], format: ReportFormat, policy: DisclosurePolicy = .standard, document given: ReportDocument? = nil) throws -> String {
    try ReportRenderer.render(try given ?? document(arguments, policy: policy), format: format)
}

/// The published JSON of a command, parsed.
func publishedJSON(_ arguments: [String]) throws -> [String: Any] {
    try #require(try JSONValue.parse(Data(try published(arguments, .json).utf8)) as? [String: Any])
}

@Suite("Every command's published output on the demo store")
struct PublishedOutputTests {
    @Test("Each registered command has a JSON Schema in docs/schemas, and its demo output validates against it", arguments: invocations)
    func validatesAgainstSchema(_ arguments: [String]) throws {
        let validator = try JSONSchemaValidator(directory: schemaDirectory)
        let json = try publishedJSON(arguments)
        let problems = validator.validate(json, against: "\(arguments[0]).schema.json")
        #expect(problems.isEmpty, "\(arguments.joined(separator: " ")): \(problems.prefix(10))")
    }

    @Test("No camelCase key anywhere in a command's JSON", arguments: invocations)
    func snakeCaseKeys(_ arguments: [String]) throws {
        var offending: Set<String> = []
        func walk(_ v: Any, inOptions: Bool) {
            if let d = v as? [String: Any] {
                for (k, x) in d {
                    if k.unicodeScalars.contains(where: { CharacterSet.uppercaseLetters.contains($0) }) { offending.insert(k) }
                    walk(x, inOptions: k == "options")
                }
            } else if let a = v as? [Any] {
                for x in a { walk(x, inOptions: inOptions) }
            }
        }
        walk(try publishedJSON(arguments), inOptions: false)
        #expect(offending.isEmpty, "\(arguments.joined(separator: " ")): \(offending.sorted())")
    }

    @Test("No count of 1 to 10 people, and no figure resting on fewer than 11, in any command's JSON", arguments: invocations)
    func noSmallCells(_ arguments: [String]) throws {
        let findings = SmallCellAudit(threshold: DisclosurePolicy.defaultThreshold).audit(try publishedJSON(arguments))
        #expect(findings.isEmpty, "\(arguments.joined(separator: " ")): \(findings.prefix(10))")
    }

    @Test("The text, Markdown and HTML outputs publish no count the JSON withholds", arguments: invocations)
    func formatsAgree(_ arguments: [String]) throws {
        let json = try publishedJSON(arguments)
        let suppressedTables = SmallCellAudit.suppressedCellCount(json)
        for format in [ReportFormat.text, .markdown, .html] {
            let text = try published(arguments, format)
            // Every suppressed cell is written as the word in every format; none is left as a number.
            let written = text.components(separatedBy: "suppressed").count - 1
            #expect(written >= suppressedTables, "\(arguments.joined(separator: " ")) in \(format): \(written) < \(suppressedTables)")
        }
    }

    @Test("Same store and options: byte-identical output in every format (the analysis run again)", arguments: invocations)
    func deterministic(_ arguments: [String]) throws {
        let again = try document(arguments)
        for format in ReportFormat.allCases { #expect(try render(arguments, format: format, document: again) == published(arguments, format)) }
    }
}

@Suite("Disclosure options of every command")
struct DisclosureOptionTests {
    @Test("A threshold below 11 is refused without --allow-lower-min-cell, and allowed (and stated) with it", arguments: commandNames)
    func lowering(_ name: String) throws {
        #expect(throws: (any Error).self) { try PublishOptions.parse(["--disclosure-threshold", "3"]) }
        #expect(throws: (any Error).self) { try PublishOptions.parse(["--min-cell", "10"]) }
        let lowered = try PublishOptions.parse(["--disclosure-threshold", "3", "--allow-lower-min-cell"])
        let policy = try lowered.policy()
        #expect(policy.threshold == 3 && policy.lowered)
        let json = try published(try #require(invocations.first { $0[0] == name }), .json, policy: policy)
        #expect(json.contains("lowered from 11 to 3"))
        #expect(json.contains("\"lowered\" : true"))
    }

    @Test("The refusal says what to do")
    func refusalMessage() {
        do {
            _ = try PublishOptions.parse(["--disclosure-threshold", "5"])
            Issue.record("accepted")
        } catch {
            let message = PublishOptions.message(for: error)
            #expect(message.contains("--allow-lower-min-cell"))
            #expect(message.contains("11"))
        }
    }

    @Test("--round-to 5 rounds every published count to a multiple of 5")
    func rounding() throws {
        let policy = try DisclosurePolicy(roundingBase: 5)
        let json = try #require(try JSONValue.parse(Data(try published(["outcomes", "--by", "sessions"], .json, policy: policy).utf8)) as? [String: Any])
        let counts = SmallCellAudit.counts(json)
        #expect(!counts.isEmpty)
        #expect(counts.allSatisfy { $0 % 5 == 0 })
    }
}

/// An independent check of published JSON: it reads only the rendered output (not the policy's code).
struct SmallCellAudit {
    let threshold: Int

    /// Problems: small counts, figures on too few people, suppressed cells recoverable from published totals.
    func audit(_ root: Any) -> [String] {
        var findings: [String] = []
        func walk(_ v: Any, _ path: String) {
            if let d = v as? [String: Any] {
                if d["kind"] as? String == "count", let n = d["value"] as? Int64, n > 0, n < threshold { findings.append("\(path): count \(n)") }
                if let number = d["number"] as? [String: Any] {
                    if let b = number["basis"] as? Int64, b < threshold { findings.append("\(path): figure on \(b) people") }
                    if let k = number["numerator"] as? Int64, k > 0, k < threshold { findings.append("\(path): share of \(k) people") }
                    if let k = number["numerator"] as? Int64, let b = number["basis"] as? Int64, b - k > 0, b - k < threshold {
                        findings.append("\(path): share whose complement is \(b - k) people")
                    }
                }
                if d["x"] != nil, d["y"] != nil, let n = d["count"] as? Int64, n > 0, n < threshold { findings.append("\(path): chart point on \(n)") }
                if let basis = d["basis"] as? Int64, d["label"] != nil, d["value"] != nil, basis < threshold, d["suppressed"] as? Bool != true {
                    findings.append("\(path): key figure on \(basis)")
                }
                if let table = d["table"] as? [String: Any] { findings += recoverable(table, path) }
                for (k, x) in d { walk(x, path + "." + k) }
            } else if let a = v as? [Any] {
                for (i, x) in a.enumerated() { walk(x, "\(path)[\(i)]") }
            }
        }
        walk(root, "$")
        return findings
    }

    /// Suppressed interior cells of a declared margin group that the published cells and totals determine.
    /// Unknowns are the hidden interior cells and every total a reader does not see (not published, or
    /// suppressed in the table); each row, each column and the grand total give one linear equation. A hidden
    /// cell is recoverable when its unit vector lies in the row space of the equations (rank test, Gaussian
    /// elimination) — the same question as the policy's solver, answered by separate code.
    func recoverable(_ table: [String: Any], _ path: String) -> [String] {
        guard table["disclosive"] as? Bool == true, let rows = table["rows"] as? [[Any]], let margins = table["margins"] as? [[String: Any]] else { return [] }
        func hidden(_ r: Int, _ c: Int) -> Bool { r < rows.count && c < rows[r].count && (rows[r][c] as? [String: Any])?["kind"] as? String == "suppressed" }
        var out: [String] = []
        for m in margins {
            let mr = ((m["rows"] as? [Any]) ?? []).compactMap { ($0 as? Int64).map(Int.init) }
            let mc = ((m["columns"] as? [Any]) ?? []).compactMap { ($0 as? Int64).map(Int.init) }
            let rowTotals = m["row_totals_published"] as? Bool == true, columnTotals = m["column_totals_published"] as? Bool == true
            let rowTotalColumn = (m["row_total_column"] as? Int64).map(Int.init), columnTotalRow = (m["column_total_row"] as? Int64).map(Int.init)
            var slots: [String: Int] = [:]
            func slot(_ name: String) -> Int { if let i = slots[name] { return i }; slots[name] = slots.count; return slots.count - 1 }
            var hiddenCells: [(Int, Int)] = []
            for r in mr { for c in mc where hidden(r, c) { hiddenCells.append((r, c)); _ = slot("c\(r),\(c)") } }
            guard !hiddenCells.isEmpty else { continue }
            let rowUnknown = { (r: Int) in !rowTotals || (rowTotalColumn.map { hidden(r, $0) } ?? false) }
            let columnUnknown = { (c: Int) in !columnTotals || (columnTotalRow.map { hidden($0, c) } ?? false) }
            let grandUnknown = !(rowTotals || columnTotals) || (rowTotalColumn.flatMap { rc in columnTotalRow.map { hidden($0, rc) } } ?? false)
            var terms: [[(Int, Double)]] = []
            for r in mr {
                var eq = mc.filter { hidden(r, $0) }.map { (slot("c\(r),\($0)"), 1.0) }
                if rowUnknown(r) { eq.append((slot("r\(r)"), -1)) }
                terms.append(eq)
            }
            for c in mc {
                var eq = mr.filter { hidden($0, c) }.map { (slot("c\($0),\(c)"), 1.0) }
                if columnUnknown(c) { eq.append((slot("k\(c)"), -1)) }
                terms.append(eq)
            }
            var byRows = mr.filter(rowUnknown).map { (slot("r\($0)"), 1.0) }
            var byColumns = mc.filter(columnUnknown).map { (slot("k\($0)"), 1.0) }
            if grandUnknown { byRows.append((slot("g"), -1)); byColumns.append((slot("g"), -1)) }
            terms += [byRows, byColumns]
            let n = slots.count
            let equations = terms.filter { !$0.isEmpty }.map { eq in
                var row = [Double](repeating: 0, count: n)
                for (i, v) in eq { row[i] += v }
                return row
            }
            for cell in hiddenCells {
                var target = [Double](repeating: 0, count: n)
                target[slots["c\(cell.0),\(cell.1)"]!] = 1
                if inRowSpace(target, equations) { out.append("\(path): suppressed cell (\(cell.0), \(cell.1)) recoverable from the totals") }
            }
        }
        return out
    }

    private func rank(_ m: [[Double]]) -> Int {
        var a = m
        var r = 0
        let columns = a.first?.count ?? 0
        for c in 0..<columns where r < a.count {
            guard let p = (r..<a.count).first(where: { abs(a[$0][c]) > 1e-9 }) else { continue }
            a.swapAt(r, p)
            for i in 0..<a.count where i != r && abs(a[i][c]) > 1e-9 {
                let f = a[i][c] / a[r][c]
                for j in 0..<columns { a[i][j] -= f * a[r][j] }
            }
            r += 1
        }
        return r
    }

    private func inRowSpace(_ v: [Double], _ equations: [[Double]]) -> Bool {
        guard !equations.isEmpty else { return false }
        return rank(equations) == rank(equations + [v])
    }

    /// Suppressed cells in a published JSON document.
    static func suppressedCellCount(_ root: Any) -> Int {
        var n = 0
        func walk(_ v: Any) {
            if let d = v as? [String: Any] {
                if d["kind"] as? String == "suppressed" { n += 1 }
                d.values.forEach(walk)
            } else if let a = v as? [Any] { a.forEach(walk) }
        }
        walk(root)
        return n
    }

    /// Every published count cell.
    static func counts(_ root: Any) -> [Int64] {
        var out: [Int64] = []
        func walk(_ v: Any) {
            if let d = v as? [String: Any] {
                if d["kind"] as? String == "count", let n = d["value"] as? Int64 { out.append(n) }
                d.values.forEach(walk)
            } else if let a = v as? [Any] { a.forEach(walk) }
        }
        walk(root)
        return out
    }
}

@Suite("Every audience report on the demo store")
struct AudienceReportOutputTests {
    @Test("Each report's JSON validates against report.schema.json and publishes no small cell", arguments: Audience.allCases)
    func report(_ audience: Audience) throws {
        var options = ReportOptions(disclosure: .standard, generatedAt: "2026-03-06T00:00:00Z", command: "peerlens report", toolVersion: "test")
        options.replicates = 200
        options.healthReplicates = 100
        if audience == .funder { options.cost = 250000 }
        let document = try AudienceReport.build(audience, context: try ReportContext(store: demoStore, options: options))
        let json = try #require(try JSONValue.parse(Data(try ReportRenderer.render(document, format: .json).utf8)) as? [String: Any])
        let problems = try JSONSchemaValidator(directory: schemaDirectory).validate(json, against: "report.schema.json")
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let findings = SmallCellAudit(threshold: DisclosurePolicy.defaultThreshold).audit(json)
        #expect(findings.isEmpty, "\(findings.prefix(10))")
    }
}
