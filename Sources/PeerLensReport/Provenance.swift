import PeerLensDocument
import CCrypto
import CGSL
import Foundation
import GRDB
import PeerLensLog
import PeerLensStore

extension Provenance {
    /// GSL's and SQLite's versions as linked at run time.
    public static func libraryVersions(_ store: EventStore) throws -> [String: String] {
        let sqlite = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") } ?? "unknown"
        return ["gsl": String(cString: peerlens_gsl_version()), "sqlite": sqlite]
    }
}

extension StoreFingerprint {
    /// Reads the fingerprint of `store`. Start times and durations of runs are left out: they differ between
    /// two builds of the same store.
    public static func read(_ store: EventStore) throws -> StoreFingerprint {
        let runs = try store.queue.read { db in try IngestRunRecord.fetchAll(db, sql: "SELECT * FROM ingest_run ORDER BY id") }
        let files = runs.map {
            IngestedFile(run: $0.id, file: $0.file, sha256: $0.sha256, format: $0.format, records: $0.records, accepted: $0.accepted,
                         duplicates: $0.duplicates, rejected: $0.rejected, toolVersion: $0.toolVersion)
        }
        let text = files.map { "\($0.run) \($0.file) \($0.sha256) \($0.format) \($0.records) \($0.accepted) \($0.duplicates) \($0.rejected)\n" }.joined()
        return StoreFingerprint(path: store.path, files: files, combinedSHA256: Digest.sha256Hex(Array(text.utf8)))
    }
}

/// SHA-256 of bytes in memory (OpenSSL's one-shot EVP digest).
enum Digest {
    /// Lower-case hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1, "SHA-256 unavailable in libcrypto")
        let hex = Array("0123456789abcdef")
        return String(digest.prefix(Int(length)).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] })
    }
}
