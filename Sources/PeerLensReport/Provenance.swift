import PeerLensDocument
import Foundation
import PeerLensLog
import PeerLensStats
import PeerLensStore

extension Provenance {
    /// GSL's and SQLite's versions as linked at run time.
    public static func libraryVersions(_ store: EventStore) throws -> [String: String] {
        try libraryVersions(source: store)
    }

    /// GSL's version and the engine's (`EventSource.engineVersions()`: SQLite's, or the Spark server's).
    public static func libraryVersions(source: any EventSource) throws -> [String: String] {
        try source.engineVersions().merging(["gsl": StatsLibrary.gslVersion]) { _, gsl in gsl }
    }
}

extension StoreFingerprint {
    /// Reads the fingerprint of the events in `source` (the store, or a Spark warehouse), named by its location.
    /// Start times and durations of runs are left out: they differ between two builds of the same store.
    public static func read(_ source: any EventSource) throws -> StoreFingerprint {
        of(try source.ingestRuns(), path: source.location)
    }

    /// The fingerprint of a store at `path` (a file, or an engine's URL) that recorded `runs`.
    package static func of(_ runs: [IngestRun], path: String) -> StoreFingerprint {
        let files = runs.map {
            IngestedFile(run: $0.id, file: $0.file, sha256: $0.sha256, format: $0.format, records: $0.records, accepted: $0.accepted,
                         duplicates: $0.duplicates, rejected: $0.rejected, toolVersion: $0.toolVersion)
        }
        let text = files.map { "\($0.run) \($0.file) \($0.sha256) \($0.format) \($0.records) \($0.accepted) \($0.duplicates) \($0.rejected)\n" }.joined()
        return StoreFingerprint(path: path, files: files, combinedSHA256: SHA256Digest.hex(Array(text.utf8)))
    }
}
