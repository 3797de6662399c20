import Foundation
@testable import PeerLensLog
@testable import PeerLensSimulator
@testable import PeerLensStore

/// A fresh store in a new temporary directory.
func newResearchStore() throws -> (store: EventStore, directory: URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-research-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (try EventStore(path: dir.appendingPathComponent("store.sqlite").path), dir)
}

/// Writes `lines` (JSON Lines) to a file in `directory` and ingests it.
func ingest(_ lines: [String], into store: EventStore, directory: URL, name: String = "events.jsonl") throws {
    let path = directory.appendingPathComponent(name).path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    try Ingestor(toolVersion: "test").ingest(path: path, into: store)
}

/// A simulated community ingested into a store, with its manifest.
func simulatedStore(seed: UInt64, members: Int, days: Int) -> (store: EventStore, manifest: SimulationManifest) {
    let (store, dir) = try! newResearchStore()
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    let manifest = try! Simulator(config: SimulationConfig(seed: seed, members: members, days: days)).run(into: sink)
    try! sink.close()
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return (store, manifest)
}
