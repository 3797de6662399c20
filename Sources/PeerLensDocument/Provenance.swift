/// Where a published document's figures came from.
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
    /// Generation time (RFC 3339, UTC): `--generated-at`, else the time a report was written. Command output
    /// carries none unless `--generated-at` is given, so that the same store and options print the same bytes.
    public var generatedAt: String?
    /// The minimum cell count used.
    public var disclosureThreshold: Int

    enum CodingKeys: String, CodingKey {
        case toolVersion = "tool_version", libraries, store, command, options, generatedAt = "generated_at"
        case disclosureThreshold = "disclosure_threshold"
    }

    /// Creates a provenance block.
    public init(toolVersion: String, libraries: [String: String], store: StoreFingerprint, command: String, options: [String: String],
                generatedAt: String?, disclosureThreshold: Int) {
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

        /// Creates the record of one ingest run.
        public init(run: Int64, file: String, sha256: String, format: String, records: Int, accepted: Int, duplicates: Int, rejected: Int,
                    toolVersion: String) {
            self.run = run
            self.file = file
            self.sha256 = sha256
            self.format = format
            self.records = records
            self.accepted = accepted
            self.duplicates = duplicates
            self.rejected = rejected
            self.toolVersion = toolVersion
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

    /// Creates a fingerprint.
    public init(path: String, files: [IngestedFile], combinedSHA256: String) {
        self.path = path
        self.files = files
        self.combinedSHA256 = combinedSHA256
    }

    /// Sentences that explain the ingest runs to a reader: a run that accepted nothing because every record
    /// was already in the store (a repeated ingest: the same file again, found by its SHA-256, or another file
    /// holding the same records), and runs where some records were duplicates. Empty when no run had
    /// duplicates. The store keeps each record once, so a repeated ingest changes no figure.
    public var ingestNotes: [String] {
        var notes: [String] = []
        for (i, f) in files.enumerated() where f.duplicates > 0 {
            let earlier = files[..<i].first { $0.sha256 == f.sha256 }
            let same = earlier.map { "the same file as run \($0.run) (the same SHA-256)" } ?? "records already in the store"
            if f.accepted == 0 && f.duplicates + f.rejected == f.records {
                notes.append("Run \(f.run) ingested \(same) again: all \(Formatter.grouped(f.duplicates)) of its readable records were already in the store, so it added none (accepted 0). The store keeps each record once, so a repeated ingest changes no figure.")
            } else {
                notes.append("Run \(f.run): \(Formatter.grouped(f.duplicates)) of its records were already in the store (duplicates) and were kept once.")
            }
        }
        return notes
    }
}
