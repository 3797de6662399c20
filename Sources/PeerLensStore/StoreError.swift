import PeerLensLog
import GRDB

/// Why a store operation failed. Messages name the file and what was being
/// done, and never include values from the log.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The store could not be opened or migrated.
    case open(path: String, reason: String)
    /// A read-only open found no file at `path` (read-only commands never create a store).
    case missing(path: String)
    /// The file at `path` is not a PeerLens store (not SQLite, or no PeerLens schema).
    case notAStore(path: String)
    /// A store whose schema is not this version's: `found` migrations applied where this version has `expected`;
    /// `newer` when it was written by a newer PeerLens (it holds migrations this version does not know, and is
    /// refused by every open, read-write too). A read-only open refuses an older store (`newer` false); a
    /// read-write open upgrades it instead. `writtenBy` is the PeerLens version recorded by the store's last
    /// ingest, when it can be read.
    case schemaMismatch(path: String, found: Int, expected: Int, newer: Bool, writtenBy: String? = nil)
    /// The store file is damaged (truncated, overwritten, or failing SQLite's `quick_check`/`integrity_check`):
    /// nothing is analysed or ingested. `detail` is SQLite's own finding (page numbers and table or index
    /// names, never row values).
    case damaged(path: String, detail: String)
    /// The store could not grow: the disk or file system is full, or SQLite's size limit was reached, while
    /// ingesting `file`. The file's transaction was rolled back, so the store is as it was before.
    case full(path: String, file: String)
    /// Upgrading an older store from schema `from` to `to` failed; the upgrade is one transaction, so nothing of it
    /// was applied and the store is still at `from`.
    case migrationFailed(path: String, from: Int, to: Int, reason: String)
    /// `--backup` was asked for but a file already exists at `backup`; PeerLens never overwrites one.
    case backupExists(path: String, backup: String)
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
            return "\(path) is not a PeerLens store (not an SQLite database, or its header is damaged): give the store built by `peerlens ingest` with --db"
        case let .schemaMismatch(path, found, expected, newer, writtenBy):
            let writer = writtenBy.map { ", last ingest by PeerLens \($0)" } ?? ""
            return newer
                ? "the store at \(path) was written by a newer PeerLens (store schema v\(found)\(writer); this PeerLens reads schema v\(expected) and older): use that newer version of PeerLens; this one neither reads nor changes the store"
                : "the store at \(path) was written by an older PeerLens (schema v\(found); this version reads v\(expected)): run `peerlens ingest --db \(path) FILE…` with this version to upgrade it (re-ingesting a file already stored adds nothing)"
        case let .damaged(path, detail):
            return "the store at \(path) is damaged (\(detail)): PeerLens will not analyse or ingest into it; run `peerlens check --integrity --db \(path)` for SQLite's full report, then restore the store from a backup or rebuild it by ingesting the original log files into a new store"
        case let .full(path, file):
            return "the store at \(path) is full (the disk or file system has no room left, or SQLite's size limit was reached) while ingesting \(file): nothing from \(file) was stored and the store is as it was; free space and run the ingest again"
        case let .migrationFailed(path, from, to, reason):
            return "upgrading the store at \(path) from schema v\(from) to v\(to) failed (\(reason)): the upgrade is one transaction, so nothing of it was applied and the store is still at schema v\(from)"
        case let .backupExists(path, backup):
            return "cannot back up the store at \(path) before upgrading it: \(backup) already exists, and PeerLens never overwrites a backup; move it away and run again"
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

/// A failure of the engine that answers the queries (a server that failed or was lost, a database file that could
/// not be read) rather than data that cannot support an analysis. A report leaves out a section whose data do
/// not support it and says so; on an engine failure it fails as a whole instead, since a section missing because
/// a cluster ran out of memory says nothing about the data.
public protocol EngineFailure: Error {}

extension StoreError: EngineFailure {}
extension DatabaseError: EngineFailure {}
