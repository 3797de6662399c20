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
        """
    )

    /// Defaults.
    public init() {}

    public func publish(_ context: CommandContext) throws -> Publication {
        let problems = try ReferentialCheck.run(on: try context.store())
        let found = problems.filter { $0.count > 0 }
        let rows: [[Cell]] = problems.map { p in
            [.text(p.code), .text(p.description), .count(p.count), .text(p.examples.joined(separator: ", "))]
        }
        let table = Table(caption: "Referential checks", columns: [Column("Check", alignment: .left), Column("Problem", alignment: .left),
                                                                  Column("Records", unit: "n"), Column("Examples", alignment: .left)],
                          rows: rows, notes: ["Counts of records, not of people: not subject to the disclosure threshold."], disclosive: false)
        return Publication(title: "Referential check",
                           subtitle: "Checked \(problems.count) kinds of reference; \(found.count) with problems",
                           sections: [Section("Referential problems", blocks: [.table(table)])])
    }
}
