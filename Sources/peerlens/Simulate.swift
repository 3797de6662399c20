import ArgumentParser
import PeerLensDocument
import Foundation
import PeerLensLog
import PeerLensSimulator

/// `peerlens simulate`
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic community log with known true parameters.",
        discussion: """
        Writes OUT/events.jsonl (or events.jsonl.gz with --gzip) and OUT/manifest.json, which records every \
        true parameter and realised truth. The same options give byte-identical files. Roughly 0.85 events per \
        member per day are written (about 10 million for --members 200000 --days 60).
        """
    )

    @Option(help: "Seed of the random stream.")
    var seed: UInt64 = 1

    @Option(help: "Members (joins before and during the period).")
    var members: Int = 3000

    @Option(help: "Length of the period in days.")
    var days: Int = 60

    @Option(help: "Start of the period (RFC 3339).")
    var start: String = "2026-01-05T00:00:00Z"

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Flag(help: "Compress the log with gzip.")
    var gzip = false

    func validate() throws {
        guard let ts = Timestamp(rfc3339: start) else { throw ValidationError("--start must be an RFC 3339 date-time") }
        if let problem = SimulationConfig(seed: seed, members: members, days: days, start: ts).problem {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        let config = SimulationConfig(seed: seed, members: members, days: days, start: Timestamp(rfc3339: start)!)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let logPath = out + "/events.jsonl" + (gzip ? ".gz" : "")
        let sink = try JSONLinesFileSink(path: logPath, gzip: gzip)
        let progress = ProgressLine()
        let manifest = try Simulator(config: config).run(into: sink) { fraction in
            progress.update(String(format: "simulate %3.0f%%", fraction * 100))
        }
        try sink.close()
        progress.finish()
        try manifest.jsonData().write(to: URL(fileURLWithPath: out + "/manifest.json"))
        print("\(logPath): \(Formatter.grouped(manifest.totalEvents)) events; manifest: \(out)/manifest.json")
    }
}
