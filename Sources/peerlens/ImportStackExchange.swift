import ArgumentParser
import PeerLensDocument
import Foundation
import PeerLensLog

/// `peerlens import-stackexchange DIR --out FILE.jsonl`
struct ImportStackExchange: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-stackexchange",
        abstract: "Convert a text-free Stack Exchange dump (posts.csv, comments.csv, users.csv) to log format v1.",
        discussion: "The mapping is documented in datasets/README.md. The output is then ingested as usual."
    )

    @Argument(help: "Directory holding posts.csv, comments.csv and users.csv.")
    var directory: String

    @Option(help: "The JSON Lines file to write.")
    var out: String

    func validate() throws {
        guard out.hasSuffix(".jsonl") else { throw ValidationError("--out must end in .jsonl") }
    }

    func run() throws {
        let (events, summary) = try StackExchangeAdapter.events(from: directory)
        var text = ""
        text.reserveCapacity(events.count * 160)
        for event in events { text += EventJSON.line(for: event) + "\n" }
        try text.write(toFile: out, atomically: true, encoding: .utf8)
        print("\(out): \(Formatter.grouped(events.count)) events (" + summary.written.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
        for (reason, count) in summary.skipped.sorted(by: { $0.key < $1.key }) { print("  skipped \(count): \(reason)") }
    }
}
