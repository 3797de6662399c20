import Foundation
import PeerLensStore

func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
}

/// A fresh directory for one test.
func temporaryDirectory() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-store-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A new empty store in a fresh directory.
func newStore() throws -> EventStore {
    try EventStore(path: temporaryDirectory().appendingPathComponent("test.sqlite").path)
}

let ingestor = Ingestor(toolVersion: "test")

/// A new store holding the fixture `name`, and the summary of its ingest.
func ingested(_ name: String) throws -> (store: EventStore, summary: FileSummary) {
    let store = try newStore()
    let summary = try ingestor.ingest(path: fixture(name), into: store)
    return (store, summary)
}
