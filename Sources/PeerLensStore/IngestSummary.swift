import PeerLensLog

/// Counts for one event type in one file.
public struct TypeCounts: Sendable, Codable, Equatable {
    /// Event type (`unknown` for records whose type could not be read).
    public var eventType: String
    /// New events stored.
    public var accepted: Int
    /// Events whose key was already stored (not an error).
    public var duplicates: Int
    /// Records refused (see the quarantine).
    public var rejected: Int

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type", accepted, duplicates, rejected
    }
}

/// A refused record: where it was and why (never its content).
public struct RejectedRecord: Sendable, Codable, Equatable {
    /// 1-based line number in the file.
    public var line: Int
    /// Event type, when it could be read.
    public var eventType: String?
    /// Rejection category (`out_of_range`, `personal_data`, …).
    public var category: String
    /// A sentence a person understands.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case line, eventType = "event_type", category, reason
    }
}

/// What ingesting (or validating) one file did. Encoded as the documented JSON
/// of `peerlens ingest --format json` (keys in snake_case).
public struct FileSummary: Sendable, Codable, Equatable {
    /// The path as given.
    public var file: String
    /// SHA-256 of the file's bytes on disk (empty when validating only).
    public var sha256: String
    /// `jsonl` or `csv`.
    public var format: String
    /// Ingest run id in the store (nil when validating only).
    public var runID: Int64?
    /// Records read (blank lines excluded).
    public var records: Int
    /// New events stored (or, when validating, valid records).
    public var accepted: Int
    /// Events already in the store.
    public var duplicates: Int
    /// Records refused.
    public var rejected: Int
    /// Unknown fields dropped, summed over records.
    public var droppedFields: Int
    /// Unknown fields dropped, by name.
    public var droppedFieldNames: [String: Int]
    /// Per event type, sorted by type.
    public var byType: [TypeCounts]
    /// The first rejections (at most 20), in line order.
    public var firstRejections: [RejectedRecord]
    /// Wall time.
    public var durationSeconds: Double
    /// Records per second.
    public var recordsPerSecond: Double {
        durationSeconds > 0 ? Double(records) / durationSeconds : 0
    }

    enum CodingKeys: String, CodingKey {
        case file, sha256, format, runID = "run_id", records, accepted, duplicates, rejected
        case droppedFields = "dropped_fields", droppedFieldNames = "dropped_field_names", byType = "by_type"
        case firstRejections = "first_rejections", durationSeconds = "duration_s"
    }
}

/// Progress of a long ingest, reported a few times per second.
public struct IngestProgress: Sendable {
    /// The file being read.
    public var file: String
    /// Bytes of the file consumed (compressed bytes for gzip).
    public var bytesRead: Int64
    /// Size of the file on disk.
    public var fileSize: Int64
    /// Records processed so far.
    public var records: Int
    /// Seconds since the file was opened.
    public var elapsed: Double
}
