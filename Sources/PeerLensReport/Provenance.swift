import PeerLensDocument
import Foundation
import PeerLensLog
import PeerLensStats
import PeerLensStore

extension Provenance {
    /// GSL's and SQLite's versions as linked at run time.
    public static func libraryVersions(_ store: EventStore) throws -> [String: String] {
        ["gsl": StatsLibrary.gslVersion, "sqlite": try store.sqliteVersion()]
    }
}

extension StoreFingerprint {
    /// Reads the fingerprint of `store`. Start times and durations of runs are left out: they differ between
    /// two builds of the same store.
    public static func read(_ store: EventStore) throws -> StoreFingerprint {
        let files = try store.ingestRuns().map {
            IngestedFile(run: $0.id, file: $0.file, sha256: $0.sha256, format: $0.format, records: $0.records, accepted: $0.accepted,
                         duplicates: $0.duplicates, rejected: $0.rejected, toolVersion: $0.toolVersion)
        }
        let text = files.map { "\($0.run) \($0.file) \($0.sha256) \($0.format) \($0.records) \($0.accepted) \($0.duplicates) \($0.rejected)\n" }.joined()
        return StoreFingerprint(path: store.path, files: files, combinedSHA256: SHA256Digest.hex(Array(text.utf8)))
    }
}
