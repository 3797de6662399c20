import PeerLensLog

/// Why a store operation failed. Messages name the file and what was being
/// done, and never include values from the log.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The store could not be opened or migrated.
    case open(path: String, reason: String)
    /// A read-only open found no file at `path` (read-only commands never create a store).
    case missing(path: String)
    /// The file at `path` is not a PeerLens store (not SQLite, or no PeerLens schema).
    case notAStore(path: String)
    /// A read-only open found a store whose schema is not this version's: `found` migrations applied where this
    /// version has `expected`; `newer` when it was written by a newer PeerLens (unknown migrations).
    case schemaMismatch(path: String, found: Int, expected: Int, newer: Bool)
    /// A read-only open found a hot journal: an ingest was interrupted and SQLite must roll it back, which
    /// needs a read-write open.
    case interruptedWrite(path: String)
    /// A write was attempted on a store opened read-only.
    case readOnly(path: String, operation: String)
    /// A database statement failed while doing `operation`.
    case database(operation: String, reason: String)
    /// A file could not be read.
    case io(file: String, String)
    /// A whole file is unusable (missing, corrupt, malformed CSV, …).
    case unreadableLog(LogReadError)
    /// Every record of the file was rejected; nothing was stored.
    case whollyInvalid(file: String, rejected: Int, firstReasons: [String])

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case let .open(path, reason): return "cannot open store \(path): \(reason)"
        case let .missing(path):
            return "no store at \(path): run `peerlens ingest --db \(path) FILE…` first (only ingest creates a store)"
        case let .notAStore(path):
            return "\(path) is not a PeerLens store: give the store built by `peerlens ingest` with --db"
        case let .schemaMismatch(path, found, expected, newer):
            return newer
                ? "the store at \(path) was written by a newer PeerLens (schema v\(found); this version reads v\(expected)): use that version of PeerLens"
                : "the store at \(path) was written by an older PeerLens (schema v\(found); this version reads v\(expected)): run `peerlens ingest --db \(path) FILE…` with this version to upgrade it (re-ingesting a file already stored adds nothing)"
        case let .interruptedWrite(path):
            return "the store at \(path) holds an unfinished write (an interrupted `peerlens ingest` left \(path)-journal): run `peerlens ingest --db \(path) FILE…` again, which rolls the unfinished file back first; read-only commands do not write"
        case let .readOnly(path, operation): return "\(operation): the store at \(path) was opened read-only"
        case let .database(operation, reason): return "\(operation) failed: \(reason)"
        case let .io(file, reason): return "\(file): \(reason)"
        case let .unreadableLog(error): return error.description + "; nothing from this file was stored"
        case let .whollyInvalid(file, rejected, reasons):
            let sample = reasons.map { "  \(file):\($0)" }.joined(separator: "\n")
            return "\(file): no valid records (\(rejected) rejected); nothing from this file was stored. First problems:\n\(sample)"
        }
    }
}
