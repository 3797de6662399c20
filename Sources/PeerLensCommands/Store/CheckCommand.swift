import ArgumentParser
import PeerLensDocument
import PeerLensStore

/// `peerlens check`: referential problems in the store, as counts with examples.
public struct CheckCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report referential problems in the store (a score for an unknown message, …) as counts with examples.",
        discussion: """
        Each kind of reference is checked; the table counts records (not people), so it is outside the \
        disclosure threshold. The examples are the pseudonymous identifiers of the first records with the problem.

        With --integrity, SQLite's full integrity check runs first (every page, every index entry against its row, \
        every constraint: a read of the whole file) and a damaged store is reported as an error. Every open already \
        refuses a truncated store, and runs SQLite's quick check on stores up to 128 MiB.
        """
    )

    /// Run SQLite's full `PRAGMA integrity_check` before the referential checks.
    @Flag(help: "Run SQLite's full integrity check of the store file first (reads the whole file).")
    public var integrity = false

    /// Defaults.
    public init() {}

    public func publish(_ context: CommandContext) throws -> Publication {
        var sections: [Section] = []
        if integrity {
            if let engine = context.engine {
                throw CommandError("--integrity checks an SQLite store file; the Spark warehouse at \(engine.url) has none: leave out --integrity or --engine")
            }
            sections.append(try Self.integritySection(storePath: context.storePath))
        }
        let problems = try context.source().referentialProblems()
        let found = problems.filter { $0.count > 0 }
        let rows: [[Cell]] = problems.map { p in
            [.text(p.code), .text(p.description), .count(p.count), .text(p.examples.joined(separator: ", "))]
        }
        let table = Table(caption: "Referential checks", columns: [Column("Check", alignment: .left), Column("Problem", alignment: .left),
                                                                  Column("Records", unit: "n"), Column("Examples", alignment: .left)],
                          rows: rows, notes: ["Counts of records, not of people: not subject to the disclosure threshold."], disclosive: false)
        return Publication(title: "Referential check",
                           subtitle: "Checked \(problems.count) kinds of reference; \(found.count) with problems",
                           sections: sections + [Section("Referential problems", blocks: [.table(table)])],
                           options: integrity ? ["integrity": "true"] : [:])
    }

    /// SQLite's `PRAGMA integrity_check` of the store at `storePath`: a section when it finds nothing; a damaged store
    /// throws `StoreError.damaged` with its findings (nothing else is read from a damaged file).
    static func integritySection(storePath: String) throws -> Section {
        // The full check replaces the quick check of the open; a truncated or foreign file is still refused there.
        let store = try EventStore(path: storePath, mode: .readOnly, integrityCheck: .headerOnly)
        let findings = try store.integrityCheck()
        if !findings.isEmpty { throw StoreError.damaged(path: storePath, detail: EventStore.describe(findings, check: "integrity_check")) }
        let pages = try store.pageCount()
        let table = Table(caption: "SQLite integrity check", columns: [Column("Check", alignment: .left), Column("Result", alignment: .left),
                                                                     Column("Pages checked", unit: "n")],
                          rows: [[.text("PRAGMA integrity_check"), .text("ok"), .count(pages)]],
                          notes: ["Pages of the store file, not people: not subject to the disclosure threshold."], disclosive: false)
        return Section("Store integrity", id: "store-integrity", blocks: [.table(table)])
    }
}
