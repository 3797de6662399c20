import Foundation
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensSimulator
import PeerLensStore

/// A simulated community of `members` over `days`, ingested into a new store.
func simulatedStore(seed: UInt64, members: Int, days: Int) -> EventStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-commands-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    _ = try! Simulator(config: SimulationConfig(seed: seed, members: members, days: days)).run(into: sink)
    try! sink.close()
    let store = try! EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return store
}

/// A small simulated community, ingested once, shared by the command tests.
let commandsStore = simulatedStore(seed: 21, members: 1500, days: 42)

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-commands-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// The document of the registered command `name` with `arguments` over the shared store, and its rendering.
func published(_ name: String, _ arguments: [String] = [], policy: DisclosurePolicy = .standard, format: ReportFormat = .text) throws -> (ReportDocument, String) {
    guard let type = CommandRegistry.command(named: name) else { throw CommandError("\(name) is not registered") }
    func run<C: PublishedCommand>(_: C.Type) throws -> ReportDocument {
        try CommandRunner.document(try C.parse(arguments), context: CommandContext(store: commandsStore, policy: policy), commandLine: "peerlens \(name)", toolVersion: "test")
    }
    let document = try run(type)
    return (document, try ReportRenderer.render(document, format: format))
}

/// Every table of a document (policy not applied).
func tables(_ d: ReportDocument) -> [Table] {
    func walk(_ s: Section) -> [Table] {
        s.blocks.compactMap { if case let .table(t) = $0 { return t } else { return nil } } + s.subsections.flatMap(walk)
    }
    return d.sections.flatMap(walk)
}
