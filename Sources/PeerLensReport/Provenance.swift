import Foundation
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Where a report's figures came from: the tool, the store (every ingested file's SHA-256 with its counts,
/// and one combined SHA-256), the exact command and options, when it was generated, and the disclosure
/// threshold. Printed at the end of every report.
public struct Provenance: Sendable, Codable, Equatable {
    /// PeerLens version that wrote the report.
    public var toolVersion: String
    /// Versions of the libraries the figures were computed with (GSL, SQLite).
    public var libraries: [String: String]
    /// The store and its fingerprint.
    public var store: StoreFingerprint
    /// The command as it was run (arguments quoted where needed).
    public var command: String
    /// The options that shaped the figures, by name.
    public var options: [String: String]
    /// Generation time (RFC 3339, UTC): `--generated-at`, else the time the report was written.
    public var generatedAt: String
    /// The minimum cell count used.
    public var disclosureThreshold: Int

    enum CodingKeys: String, CodingKey {
        case toolVersion = "tool_version", libraries, store, command, options, generatedAt = "generated_at"
        case disclosureThreshold = "disclosure_threshold"
    }

    /// Creates a provenance block.
    public init(toolVersion: String, libraries: [String: String], store: StoreFingerprint, command: String, options: [String: String],
                generatedAt: String, disclosureThreshold: Int) {
        self.toolVersion = toolVersion
        self.libraries = libraries
        self.store = store
        self.command = command
        self.options = options
        self.generatedAt = generatedAt
        self.disclosureThreshold = disclosureThreshold
    }

    /// `arguments` as one shell-readable line: arguments with spaces or shell characters single-quoted.
    public static func commandLine(_ arguments: [String]) -> String {
        arguments.map { a in
            let safe = !a.isEmpty && a.unicodeScalars.allSatisfy { s in
                (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || "-_./=:,+@%".unicodeScalars.contains(s)
            }
            return safe ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// GSL's and SQLite's versions as linked at run time.
    static func libraryVersions(_ store: EventStore) throws -> [String: String] {
        ["gsl": StatsLibrary.gslVersion, "sqlite": try store.sqliteVersion()]
    }
}

/// The store's fingerprint: each ingest run's file, SHA-256 and counts, and a SHA-256 over all of them.
public struct StoreFingerprint: Sendable, Codable, Equatable {
    /// One ingest run as recorded in the store's `ingest_run` table.
    public struct IngestedFile: Sendable, Codable, Equatable {
        /// Run id (in ingest order).
        public var run: Int64
        /// The file as given to `peerlens ingest`.
        public var file: String
        /// SHA-256 of its bytes.
        public var sha256: String
        /// `jsonl` or `csv`.
        public var format: String
        /// Records read, accepted (stored), duplicates and rejected.
        public var records: Int
        /// New events stored.
        public var accepted: Int
        /// Events already in the store.
        public var duplicates: Int
        /// Records quarantined.
        public var rejected: Int
        /// PeerLens version that ingested it.
        public var toolVersion: String

        enum CodingKeys: String, CodingKey {
            case run, file, sha256, format, records, accepted, duplicates, rejected, toolVersion = "tool_version"
        }
    }

    /// The store's file name (the path as given).
    public var path: String
    /// Every ingest run, in order.
    public var files: [IngestedFile]
    /// SHA-256 of the lines `run file sha256 format records accepted duplicates rejected` (one per run, in
    /// order, each ending in a newline): equal for stores built from the same files in the same order.
    public var combinedSHA256: String

    enum CodingKeys: String, CodingKey { case path, files, combinedSHA256 = "combined_sha256" }

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
